import Foundation

/// Where a detached job is in its life.
public enum JobRunState: String, Codable, Sendable {
    case running
    case succeeded
    case failed
    /// Its process died without recording an end (SIGKILL, a crash, a reboot).
    case abandoned

    public var isFinished: Bool { self != .running }
}

/// The status file of one job (`jobs/<id>/status.json`), rewritten atomically as it goes.
public struct JobStatus: Codable, Equatable, Sendable, Identifiable {
    public var id: String
    public var kind: JobKind
    /// The subcommand and its arguments, e.g. `["backup", "run"]`.
    public var arguments: [String]
    /// What it works on; nil in records written before the field existed.
    public var target: JobTarget?
    public var user: String
    /// The SSH client address from SSH_CONNECTION, when the job was started over SSH.
    public var sshClient: String?
    /// The supervising process; a running job whose pid is gone is abandoned.
    public var pid: Int32
    public var startedAt: Date
    public var endedAt: Date?
    public var state: JobRunState
    public var exitCode: Int32?

    public init(
        id: String, kind: JobKind, arguments: [String], user: String, sshClient: String?, pid: Int32,
        startedAt: Date, endedAt: Date? = nil, state: JobRunState = .running, exitCode: Int32? = nil,
        target: JobTarget? = nil
    ) {
        self.id = id
        self.kind = kind
        self.arguments = arguments
        self.target = target
        self.user = user
        self.sshClient = sshClient
        self.pid = pid
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.state = state
        self.exitCode = exitCode
    }

    /// `root from 10.0.0.5` or just `root`.
    public var startedBy: String {
        sshClient.map { "\(user) from \($0)" } ?? user
    }

    /// The command line an operator would type to start it.
    public var commandLine: String { (["opencode-ops"] + arguments).joined(separator: " ") }
}
