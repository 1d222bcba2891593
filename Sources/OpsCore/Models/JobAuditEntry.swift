import Foundation

/// One line of the audit log (`audit.jsonl`): who changed what, from where, and how it ended.
///
/// `user` is the account the process runs as (the kernel's word for it). `from` is the client
/// address SSH_CONNECTION gave: any process can set that variable, so the entry says where it
/// came from (`from_reported_by`) instead of presenting it as established.
public struct JobAuditEntry: Codable, Equatable, Sendable {
    /// Where `from` comes from, written beside it in every entry that has one.
    public static let fromSource = "environment (SSH_CONNECTION)"

    public var time: Date
    public var user: String
    public var from: String?
    /// What was asked: `rebuild`, `backup`, `up`, ...
    public var action: String
    /// What it acted on: an image tag, a backup id, a job id.
    public var target: String
    /// `started`, `succeeded`, `failed (exit 1)`, `refused: ...`.
    public var result: String

    public init(time: Date, user: String, from: String?, action: String, target: String, result: String) {
        self.time = time
        self.user = user
        self.from = from
        self.action = action
        self.target = target
        self.result = result
    }

    /// `root`, or `root (SSH_CONNECTION: 10.0.0.5)`: the address is the variable's claim.
    public var who: String {
        from.map { "\(user) (SSH_CONNECTION: \($0))" } ?? user
    }

    enum CodingKeys: String, CodingKey {
        case time, user, from, fromReportedBy, action, target, result
        /// Older entries kept the address under this name.
        case sshClient
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decode(Date.self, forKey: .time)
        user = try container.decode(String.self, forKey: .user)
        from = try container.decodeIfPresent(String.self, forKey: .from)
            ?? container.decodeIfPresent(String.self, forKey: .sshClient)
        action = try container.decode(String.self, forKey: .action)
        target = try container.decode(String.self, forKey: .target)
        result = try container.decode(String.self, forKey: .result)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(user, forKey: .user)
        if let from {
            try container.encode(from, forKey: .from)
            try container.encode(Self.fromSource, forKey: .fromReportedBy)
        }
        try container.encode(action, forKey: .action)
        try container.encode(target, forKey: .target)
        try container.encode(result, forKey: .result)
    }
}
