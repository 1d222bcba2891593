import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A started child process. Its output arrives as lines on `output` (when started for
/// streaming); `exitCode()` waits for it to end; `terminate` stops it.
public final class RunningProcess: @unchecked Sendable {
    public let processID: Int32
    /// stdout and stderr lines in arrival order; finishes after the process exits and both
    /// pipes are drained.
    public let output: AsyncStream<ProcessOutputLine>

    private let process: Process
    private let continuation: AsyncStream<ProcessOutputLine>.Continuation
    private let lock = NSLock()
    // Guarded by `lock`.
    private var finalCode: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    init(
        executable: URL, arguments: [String], environment: [String: String], input: Data?,
        streamsLines: Bool, onChunk: (@Sendable (ProcessOutputLine.Source, Data) -> Void)?
    ) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let inputPipe: Pipe?
        if input != nil {
            let pipe = Pipe()
            process.standardInput = pipe
            inputPipe = pipe
        } else {
            // A child must never wait on our terminal.
            process.standardInput = FileHandle.nullDevice
            inputPipe = nil
        }
        // Unbounded: a slow reader must never block the child.
        let (stream, continuation) = AsyncStream<ProcessOutputLine>.makeStream(bufferingPolicy: .unbounded)
        self.process = process
        self.output = stream
        self.continuation = continuation

        let group = DispatchGroup()
        group.enter()
        process.terminationHandler = { _ in group.leave() }
        do {
            try process.run()
        } catch {
            throw ProcessLaunchError.launchFailed(executable: executable.path, reason: error.localizedDescription)
        }
        processID = process.processIdentifier

        if let inputPipe, let input {
            let writer = inputPipe.fileHandleForWriting
            Thread {
                writer.write(input)
                try? writer.close()
            }.start()
        }
        for (pipe, source) in [(stdoutPipe, ProcessOutputLine.Source.stdout), (stderrPipe, .stderr)] {
            group.enter()
            let handle = pipe.fileHandleForReading
            Thread {
                var splitter = LineSplitter()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    onChunk?(source, chunk)
                    if streamsLines {
                        for line in splitter.feed(chunk) { continuation.yield(ProcessOutputLine(source: source, text: line)) }
                    }
                }
                if streamsLines, let rest = splitter.flush() {
                    continuation.yield(ProcessOutputLine(source: source, text: rest))
                }
                try? handle.close()
                group.leave()
            }.start()
        }
        group.notify(queue: .global()) { [self] in
            continuation.finish()
            complete(with: process.terminationStatus)
        }
        continuation.onTermination = { [weak self] termination in
            // The consumer stopped listening: the process has no reason to go on.
            if case .cancelled = termination { self?.terminate() }
        }
    }

    /// Waits for the process to exit and its output to be read; returns the exit status
    /// (128 + signal number when killed by a signal, like a shell reports it).
    public func exitCode() async -> Int32 {
        await withCheckedContinuation { waiter in
            lock.lock()
            if let finalCode {
                lock.unlock()
                waiter.resume(returning: finalCode)
            } else {
                waiters.append(waiter)
                lock.unlock()
            }
        }
    }

    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finalCode == nil
    }

    /// SIGTERM now, SIGKILL after `grace` if it is still running.
    public func terminate(grace: TimeInterval = 3) {
        guard isRunning else { return }
        let pid = processID
        kill(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [weak self] in
            guard let self, self.isRunning else { return }
            kill(pid, SIGKILL)
        }
    }

    private func complete(with status: Int32) {
        let code = process.terminationReason == .uncaughtSignal ? 128 + status : status
        lock.lock()
        finalCode = code
        let pending = waiters
        waiters = []
        lock.unlock()
        for waiter in pending { waiter.resume(returning: code) }
    }
}

/// Splits a byte stream into lines, tolerating `\r\n` and chunk boundaries inside a line.
struct LineSplitter {
    private var buffer = Data()

    mutating func feed(_ chunk: Data) -> [String] {
        buffer.append(chunk)
        var lines: [String] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            lines.append(Self.text(buffer[buffer.startIndex..<newline]))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
        return lines
    }

    mutating func flush() -> String? {
        defer { buffer = Data() }
        return buffer.isEmpty ? nil : Self.text(buffer[...])
    }

    private static func text(_ bytes: Data) -> String {
        var line = String(decoding: bytes, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
