/// What `verify` counted: members checked against the manifest, and test restores.
public struct BackupVerifyCounts: Equatable, Sendable, Codable {
    public var members: Int
    public var ok: Int
    public var failed: Int
    public var sqlite: Int
    public var rdb: Int

    public init(members: Int, ok: Int, failed: Int = 0, sqlite: Int = 0, rdb: Int = 0) {
        self.members = members
        self.ok = ok
        self.failed = failed
        self.sqlite = sqlite
        self.rdb = rdb
    }

    enum CodingKeys: String, CodingKey { case members, ok, failed, sqlite, rdb }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        members = try c.decodeIfPresent(Int.self, forKey: .members) ?? 0
        ok = try c.decodeIfPresent(Int.self, forKey: .ok) ?? 0
        failed = try c.decodeIfPresent(Int.self, forKey: .failed) ?? 0
        sqlite = try c.decodeIfPresent(Int.self, forKey: .sqlite) ?? 0
        rdb = try c.decodeIfPresent(Int.self, forKey: .rdb) ?? 0
    }
}

/// One ended verify run as the listing reports it (`last_verify`, `drill.last`).
public struct BackupVerifySummary: Equatable, Sendable, Codable {
    public var id: String
    public var backupID: String?
    public var trigger: String?
    public var result: String
    public var error: String?
    public var checked: BackupVerifyCounts?
    /// ISO 8601 UTC end.
    public var at: String?
    /// Seconds between its end and the listing.
    public var ageSeconds: Int?

    public init(
        id: String, backupID: String? = nil, trigger: String? = nil, result: String, error: String? = nil,
        checked: BackupVerifyCounts? = nil, at: String? = nil, ageSeconds: Int? = nil
    ) {
        self.id = id
        self.backupID = backupID
        self.trigger = trigger
        self.result = result
        self.error = error
        self.checked = checked
        self.at = at
        self.ageSeconds = ageSeconds
    }

    enum CodingKeys: String, CodingKey {
        case id, trigger, result, error, checked, at
        case backupID = "backup_id", ageSeconds = "age_seconds"
    }

    public var passed: Bool { result == "succeeded" }
}

/// The drills as `list-backups` reports them (`BACKUP_VERIFY_SCHEDULE`): the schedule, the last
/// scheduled verify and the last verify of any trigger.
public struct BackupDrillReport: Equatable, Sendable, Codable {
    public var schedule: String?
    public var last: BackupVerifySummary?
    public var lastVerify: BackupVerifySummary?

    public init(schedule: String? = nil, last: BackupVerifySummary? = nil, lastVerify: BackupVerifySummary? = nil) {
        self.schedule = schedule
        self.last = last
        self.lastVerify = lastVerify
    }

    enum CodingKeys: String, CodingKey {
        case schedule, last
        case lastVerify = "last_verify"
    }
}

extension BackupDrill {
    /// The freshness judgement's drill, from the listing's last scheduled verify; nil when its
    /// time is unreadable.
    public init?(_ summary: BackupVerifySummary) {
        guard let at = summary.at, let time = BackupFreshness.parseTime(at) else { return nil }
        self.init(time: time, passed: summary.passed, backupID: summary.backupID, problem: summary.error)
    }
}
