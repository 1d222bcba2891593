/// `list-backups --json`: the backups on the remote, newest first.
public struct BackupListing: Equatable, Sendable, Decodable {
    public var remote: String
    public var policy: BackupRetentionPolicy?
    /// Whether new backups are encrypted (`BACKUP_PASSWORD` set); nil from older scripts.
    public var encrypted: Bool?
    /// What the operator should act on, such as "not encrypted: ...".
    public var warnings: [String]?
    public var backups: [BackupRemoteEntry]
    /// The verify drills; nil from older scripts.
    public var drill: BackupDrillReport?

    public init(remote: String, policy: BackupRetentionPolicy? = nil, encrypted: Bool? = nil, warnings: [String]? = nil,
                backups: [BackupRemoteEntry], drill: BackupDrillReport? = nil) {
        self.drill = drill
        self.remote = remote
        self.policy = policy
        self.encrypted = encrypted
        self.warnings = warnings
        self.backups = backups
    }
}

public struct BackupRetentionPolicy: Equatable, Sendable, Decodable {
    public var keepLast: Int?
    public var keepDaily: Int?
    public var keepWeekly: Int?

    public init(keepLast: Int? = nil, keepDaily: Int? = nil, keepWeekly: Int? = nil) {
        self.keepLast = keepLast
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
    }

    enum CodingKeys: String, CodingKey {
        case keepLast = "keep_last", keepDaily = "keep_daily", keepWeekly = "keep_weekly"
    }
}

/// One backup on the remote and whether it is verified (its manifest was uploaded after the
/// download check), incomplete (archive without manifest) or missing its archive.
public struct BackupRemoteEntry: Equatable, Sendable, Decodable {
    public var id: String
    public var createdAt: String?
    public var bytes: Int?
    public var state: String
    public var localRun: LocalRun?
    /// The newest verify of this backup recorded here.
    public var lastVerify: BackupVerifySummary?

    public struct LocalRun: Equatable, Sendable, Decodable {
        public var result: String?
        public var trigger: String?
        public var verified: Bool?
        public var error: String?
        /// The run's verification level (`remote md5`...); nil from older scripts.
        public var verification: String?

        public init(result: String? = nil, trigger: String? = nil, verified: Bool? = nil, error: String? = nil,
                    verification: String? = nil) {
            self.result = result
            self.trigger = trigger
            self.verified = verified
            self.error = error
            self.verification = verification
        }
    }

    public init(
        id: String, createdAt: String? = nil, bytes: Int? = nil, state: String, localRun: LocalRun? = nil,
        lastVerify: BackupVerifySummary? = nil
    ) {
        self.lastVerify = lastVerify
        self.id = id
        self.createdAt = createdAt
        self.bytes = bytes
        self.state = state
        self.localRun = localRun
    }

    enum CodingKeys: String, CodingKey {
        case id, bytes, state
        case createdAt = "created_at", localRun = "local_run", lastVerify = "last_verify"
    }

    public var isVerified: Bool { state == "verified" }
}
