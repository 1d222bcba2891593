/// A backup or restore running in the OpenCode container, as the scripts' lock names it
/// (`running` of `list-backups --runs --json`).
public struct BackupLockHolder: Equatable, Sendable, Decodable {
    public var id: String?
    public var kind: String?
    public var trigger: String?
    public var startedAt: String?
    public var backupID: String?

    public init(id: String?, kind: String? = "backup", trigger: String? = nil, startedAt: String? = nil, backupID: String? = nil) {
        self.id = id
        self.kind = kind
        self.trigger = trigger
        self.startedAt = startedAt
        self.backupID = backupID
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, trigger
        case startedAt = "started_at", backupID = "backup_id"
    }

    /// `backup 20261127T020000Z-1a2b (scheduled, started 2026-11-27T02:00:00Z)`.
    public var description: String {
        var details: [String] = []
        if let trigger { details.append(trigger) }
        if let startedAt { details.append("started \(startedAt)") }
        let name = [kind ?? "backup", id].compactMap { $0 }.joined(separator: " ")
        return details.isEmpty ? name : "\(name) (\(details.joined(separator: ", ")))"
    }
}

/// Why an action that replaces or removes the OpenCode container, or restores into it, has to
/// wait; and why a backup has to wait for a replacement. One wording for the console and the CLI.
public enum ActivityGuard {
    /// The exit status of a refused subcommand (EX_TEMPFAIL: try again later).
    public static let exitCode: Int32 = 75

    /// The subcommand an operator runs to follow a run.
    public static func followCommand(_ holder: BackupLockHolder) -> String {
        holder.kind == "restore" ? "opencode-ops backup list" : "opencode-ops backup show \(holder.id ?? "")"
    }

    /// `rebuild refused: backup X (manual, started T) is running in C; ...`.
    public static func refusal(action: String, holder: BackupLockHolder, container: String, waitHint: String) -> String {
        "\(action) refused: \(holder.description) is running in \(container); "
            + "it would be killed. \(waitHint) (progress: `\(followCommand(holder))`)"
    }

    /// `backup refused: the apply job J (started by U at T) replaces containers; ...`.
    public static func jobRefusal(action: String, job: String, waitHint: String) -> String {
        "\(action) refused: \(job) is replacing the OpenCode container. \(waitHint)"
    }
}
