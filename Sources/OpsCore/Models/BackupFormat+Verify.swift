extension BackupFormat {
    /// `5 min ago`, `3 h ago`, `2 d ago`.
    public static func age(_ seconds: Int) -> String {
        if seconds < 60 { return "\(max(0, seconds)) s ago" }
        if seconds < 3600 { return "\(seconds / 60) min ago" }
        if seconds < 86400 { return "\(seconds / 3600) h ago" }
        return "\(seconds / 86400) d ago"
    }

    /// `passed 3 h ago, backup 1a2b` / `FAILED 2 d ago, backup 1a2b: REASON`.
    public static func verifyOutcome(_ summary: BackupVerifySummary) -> String {
        var text = summary.passed ? "passed" : "FAILED"
        if let age = summary.ageSeconds { text += " " + self.age(age) }
        if let backupID = summary.backupID { text += ", backup \(shortID(backupID))" }
        if !summary.passed, let error = summary.error { text += ": " + error }
        return text
    }

    /// The drills in one line, for the Backups panel and `backup list`: the last scheduled
    /// verify (else the last manual one) first, the schedule after it.
    public static func drillLine(_ drill: BackupDrillReport?) -> String {
        guard let drill else { return "drills: not reported by the scripts in the container" }
        let schedule = drill.schedule.map { "drills \($0)" } ?? "no BACKUP_VERIFY_SCHEDULE"
        if let last = drill.last { return "drill \(verifyOutcome(last)); \(schedule)" }
        if let other = drill.lastVerify { return "verify \(verifyOutcome(other)); no drill yet, \(schedule)" }
        return "no drill yet; \(schedule)"
    }

    /// `12 members match the manifest, 1 SQLite and 2 RDB test-restored`.
    public static func verifyCounts(_ counts: BackupVerifyCounts) -> String {
        "\(counts.ok) members match the manifest, \(counts.sqlite) SQLite and \(counts.rdb) RDB test-restored"
    }
}
