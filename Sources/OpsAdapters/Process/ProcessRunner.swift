import Foundation

/// Runs programs with argument arrays, never through a shell, so no argument is ever
/// re-interpreted. Every other adapter starts its processes here.
public struct ProcessRunner: Sendable {
    /// The complete environment the child gets (by default this process's own).
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Finds `executable` the way a shell would: as given when it contains a `/`, else on `PATH`.
    public func locate(_ executable: String) throws(ProcessLaunchError) -> URL {
        let files = FileManager.default
        if executable.contains("/") {
            guard files.fileExists(atPath: executable) else { throw .executableNotFound(executable) }
            guard files.isExecutableFile(atPath: executable) else { throw .notExecutable(executable) }
            return URL(fileURLWithPath: executable)
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(executable)"
            if files.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw .executableNotFound(executable)
    }

    /// Runs to completion and collects stdout and stderr. Cancelling the calling task stops
    /// the process (SIGTERM, then SIGKILL).
    public func run(_ executable: String, _ arguments: [String], input: Data? = nil) async throws -> ProcessResult {
        let collector = OutputCollector()
        let process = try launch(executable, arguments, input: input) { source, data in
            collector.append(source, data)
        } onLine: { _ in }
        let code = await withTaskCancellationHandler {
            await process.exitCode()
        } onCancel: {
            process.terminate()
        }
        let (stdout, stderr) = collector.contents
        return ProcessResult(exitCode: code, stdout: stdout, stderr: stderr)
    }

    /// Starts a process whose output is read line by line as it comes.
    public func start(_ executable: String, _ arguments: [String]) throws -> RunningProcess {
        try launch(executable, arguments, input: nil, onChunk: nil, onLine: nil)
    }

    /// Starts a process whose output goes to `onChunk` as it is read, on the reading thread:
    /// for output too fast to queue line by line (a log follower bounds it there).
    public func start(
        _ executable: String, _ arguments: [String],
        onChunk: @escaping @Sendable (ProcessOutputLine.Source, Data) -> Void
    ) throws -> RunningProcess {
        try launch(executable, arguments, input: nil, onChunk: onChunk, onLine: nil)
    }

    /// Starts a process whose stdin stays open for `RunningProcess.writeInput` (a long-lived
    /// reader of requests) and whose output goes to `onChunk` as it is read.
    public func startWithInput(
        _ executable: String, _ arguments: [String],
        onChunk: @escaping @Sendable (ProcessOutputLine.Source, Data) -> Void
    ) throws -> RunningProcess {
        try launch(executable, arguments, input: nil, keepsInputOpen: true, onChunk: onChunk, onLine: nil)
    }

    private func launch(
        _ executable: String, _ arguments: [String], input: Data?, keepsInputOpen: Bool = false,
        onChunk: (@Sendable (ProcessOutputLine.Source, Data) -> Void)?,
        onLine: (@Sendable (ProcessOutputLine) -> Void)?
    ) throws -> RunningProcess {
        let url = try locate(executable)
        return try RunningProcess(
            executable: url, arguments: arguments, environment: environment, input: input,
            keepsInputOpen: keepsInputOpen, streamsLines: onChunk == nil, onChunk: onChunk
        )
    }
}

/// Thread-safe accumulation of a process's output for `run`.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stdout = Data()
    private var stderr = Data()

    func append(_ source: ProcessOutputLine.Source, _ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        switch source {
        case .stdout: stdout.append(data)
        case .stderr: stderr.append(data)
        }
    }

    var contents: (Data, Data) {
        lock.lock()
        defer { lock.unlock() }
        return (stdout, stderr)
    }
}
