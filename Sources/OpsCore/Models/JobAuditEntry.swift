import Foundation

/// One line of the audit log (`audit.jsonl`): who changed what, from where, and how it ended.
public struct JobAuditEntry: Codable, Equatable, Sendable {
    public var time: Date
    public var user: String
    public var sshClient: String?
    /// What was asked: `rebuild`, `backup`, `up`, ...
    public var action: String
    /// What it acted on: an image tag, a backup id, a job id.
    public var target: String
    /// `started`, `succeeded`, `failed (exit 1)`, `refused: ...`.
    public var result: String

    public init(time: Date, user: String, sshClient: String?, action: String, target: String, result: String) {
        self.time = time
        self.user = user
        self.sshClient = sshClient
        self.action = action
        self.target = target
        self.result = result
    }
}
