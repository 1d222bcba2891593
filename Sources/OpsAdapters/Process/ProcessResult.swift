import Foundation

/// A finished process: exit status and everything it wrote.
public struct ProcessResult: Equatable, Sendable {
    public var exitCode: Int32
    public var stdout: Data
    public var stderr: Data

    public init(exitCode: Int32, stdout: Data, stderr: Data) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { exitCode == 0 }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// One line a streamed process wrote (without its newline).
public struct ProcessOutputLine: Equatable, Sendable {
    public enum Source: Equatable, Sendable { case stdout, stderr }

    public var source: Source
    public var text: String

    public init(source: Source, text: String) {
        self.source = source
        self.text = text
    }
}

/// The process could not be started at all.
public enum ProcessLaunchError: Error, Equatable, Sendable {
    case executableNotFound(String)
    case notExecutable(String)
    case launchFailed(executable: String, reason: String)
}
