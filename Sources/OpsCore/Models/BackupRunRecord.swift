/// One run's status record (`runs/<ID>/status.json`, schema 1), as the scripts in the image
/// write it: a backup, a restore or a verify, running or ended.
public struct BackupRunRecord: Equatable, Sendable, Decodable {
    public enum Kind: String, Equatable, Sendable, Decodable {
        case backup, restore, verify
    }

    public enum Result: String, Equatable, Sendable, Decodable {
        case running, succeeded, failed
    }

    public var id: String
    public var kind: Kind
    public var trigger: String
    /// ISO 8601 UTC, as written by the script (`2026-11-27T02:00:00.12Z`).
    public var startedAt: String
    public var endedAt: String?
    public var phase: String
    public var result: Result
    public var exitCode: Int?
    public var error: String?
    public var errorKind: String?
    /// The phase a failure arose in: not always the last one started, since the database
    /// snapshots run alongside the upload.
    public var failedPhase: String?
    /// Already masked by the script: kind, bucket, prefix and a shortened key id, never the key.
    public var remote: String?
    public var progress: BackupProgress?
    public var verified: Bool
    /// How far the after-upload check got: "remote md5", "remote sha1" or "size + part hashes".
    public var verification: BackupVerification?
    /// Whether the backup went through rclone crypt (`BACKUP_PASSWORD`); nil from older scripts.
    public var encrypted: Bool?
    public var archive: BackupArchiveInfo?
    /// For a verify: members checked and test restores.
    public var checked: BackupVerifyCounts?
    /// For a restore or a verify: the backup it restores or reads back.
    public var backupID: String?
    /// For a finished restore: RDB files the console still has to load into the sidecars.
    public var pendingActions: [BackupPendingAction]
    public var log: String?

    public init(
        id: String, kind: Kind = .backup, trigger: String = "manual", startedAt: String,
        endedAt: String? = nil, phase: String, result: Result, exitCode: Int? = nil,
        error: String? = nil, errorKind: String? = nil, failedPhase: String? = nil, remote: String? = nil,
        progress: BackupProgress? = nil, verified: Bool = false, archive: BackupArchiveInfo? = nil,
        backupID: String? = nil, pendingActions: [BackupPendingAction] = [], log: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.trigger = trigger
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.phase = phase
        self.result = result
        self.exitCode = exitCode
        self.error = error
        self.errorKind = errorKind
        self.failedPhase = failedPhase
        self.remote = remote
        self.progress = progress
        self.verified = verified
        self.archive = archive
        self.backupID = backupID
        self.pendingActions = pendingActions
        self.log = log
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, trigger, phase, result, error, remote, progress, verified, verification, encrypted, archive, log, checked
        case startedAt = "started_at", endedAt = "ended_at", exitCode = "exit_code"
        case errorKind = "error_kind", failedPhase = "failed_phase", backupID = "backup_id", pendingActions = "pending_actions"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .backup
        trigger = try c.decodeIfPresent(String.self, forKey: .trigger) ?? "manual"
        startedAt = try c.decodeIfPresent(String.self, forKey: .startedAt) ?? ""
        endedAt = try c.decodeIfPresent(String.self, forKey: .endedAt)
        phase = try c.decodeIfPresent(String.self, forKey: .phase) ?? ""
        result = try c.decode(Result.self, forKey: .result)
        exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        errorKind = try c.decodeIfPresent(String.self, forKey: .errorKind)
        failedPhase = try c.decodeIfPresent(String.self, forKey: .failedPhase)
        remote = try c.decodeIfPresent(String.self, forKey: .remote)
        progress = try c.decodeIfPresent(BackupProgress.self, forKey: .progress)
        verified = try c.decodeIfPresent(Bool.self, forKey: .verified) ?? false
        verification = try c.decodeIfPresent(BackupVerification.self, forKey: .verification)
        encrypted = try c.decodeIfPresent(Bool.self, forKey: .encrypted)
        archive = try c.decodeIfPresent(BackupArchiveInfo.self, forKey: .archive)
        checked = try c.decodeIfPresent(BackupVerifyCounts.self, forKey: .checked)
        backupID = try c.decodeIfPresent(String.self, forKey: .backupID)
        pendingActions = try c.decodeIfPresent([BackupPendingAction].self, forKey: .pendingActions) ?? []
        log = try c.decodeIfPresent(String.self, forKey: .log)
    }
}

/// The after-upload check: the remote's own hash (`hashType`, of the archive or with crypt of
/// the ciphertext) matched the one computed while streaming, or only the size could be compared.
public struct BackupVerification: Equatable, Sendable, Decodable {
    public var level: String
    public var hashType: String?
    public var hash: String?
    public var of: String?

    public init(level: String, hashType: String? = nil, hash: String? = nil, of: String? = nil) {
        self.level = level
        self.hashType = hashType
        self.hash = hash
        self.of = of
    }

    enum CodingKeys: String, CodingKey {
        case level, hash, of
        case hashType = "hash_type"
    }
}

/// The archive a backup wrote.
public struct BackupArchiveInfo: Equatable, Sendable, Decodable {
    public var name: String?
    public var bytes: Int?
    public var sha256: String?

    public init(name: String? = nil, bytes: Int? = nil, sha256: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Progress of the current phase: bytes so far of `total`, rate in bytes/s, ETA in seconds.
public struct BackupProgress: Equatable, Sendable, Decodable {
    public var bytes: Int
    public var total: Int?
    public var rate: Double?
    public var eta: Int?
    public var percent: Double?

    public init(bytes: Int, total: Int? = nil, rate: Double? = nil, eta: Int? = nil, percent: Double? = nil) {
        self.bytes = bytes
        self.total = total
        self.rate = rate
        self.eta = eta
        self.percent = percent
    }

    enum CodingKeys: String, CodingKey { case bytes, total, rate, eta, percent }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bytes = try c.decodeIfPresent(Int.self, forKey: .bytes) ?? 0
        total = try c.decodeIfPresent(Int.self, forKey: .total)
        rate = try c.decodeIfPresent(Double.self, forKey: .rate)
        eta = try c.decodeIfPresent(Double.self, forKey: .eta).map { Int($0.rounded()) }
        percent = try c.decodeIfPresent(Double.self, forKey: .percent)
    }

    /// 0...1, from `percent` when given, else bytes over total; nil when nothing tells.
    public var fraction: Double? {
        if let percent { return min(1, max(0, percent / 100)) }
        guard let total, total > 0 else { return nil }
        return min(1, max(0, Double(bytes) / Double(total)))
    }
}

/// An RDB file a restore left in the OpenCode container for the console to load into a sidecar.
public struct BackupPendingAction: Equatable, Sendable, Decodable {
    public var service: String
    public var rdb: String
    public var bytes: Int?
    public var sha256: String?
    public var host: String?
    public var port: Int?

    public init(service: String, rdb: String, bytes: Int? = nil, sha256: String? = nil, host: String? = nil, port: Int? = nil) {
        self.service = service
        self.rdb = rdb
        self.bytes = bytes
        self.sha256 = sha256
        self.host = host
        self.port = port
    }
}
