import Foundation

/// How old the last good backup is, against how old it may be: twice the schedule's longest
/// interval, or 36 h without a schedule. One judgement for the Backups panel and the
/// `backup-freshness` health probe; the time comes in as a value.
public struct BackupFreshness: Equatable, Sendable {
    public enum Verdict: Equatable, Sendable {
        case fresh
        case stale
        /// No good backup known; `attempted` when backups were tried and all failed.
        case never(attempted: Bool)
    }

    /// The limit when there is no schedule (or only `@reboot`).
    public static let unscheduledLimit: TimeInterval = 36 * 3600

    public var verdict: Verdict
    public var lastGood: Date?
    public var age: TimeInterval?
    /// The oldest a good backup may be before it counts as a failure.
    public var limit: TimeInterval
    /// The schedule's longest interval that `limit` doubles; nil without a usable schedule.
    public var interval: TimeInterval?
    public var drill: BackupDrill?
    public var drillAge: TimeInterval?

    public static func evaluate(
        lastGood: Date?, attempted: Bool, interval: TimeInterval?, drill: BackupDrill? = nil, now: Date
    ) -> BackupFreshness {
        let limit = interval.map { 2 * $0 } ?? unscheduledLimit
        let age = lastGood.map { max(0, now.timeIntervalSince($0)) }
        let verdict: Verdict
        if let age { verdict = age > limit ? .stale : .fresh } else { verdict = .never(attempted: attempted) }
        return BackupFreshness(verdict: verdict, lastGood: lastGood, age: age, limit: limit, interval: interval,
                               drill: drill, drillAge: drill.map { max(0, now.timeIntervalSince($0.time)) })
    }

    /// The newest good backup: a succeeded backup run recorded here, or a verified backup on
    /// the remote (made by another host, or whose record was pruned).
    public static func lastGood(runs: [BackupRunRecord], listing: [BackupRemoteEntry]?) -> Date? {
        let recorded = runs.filter { $0.kind == .backup && $0.result == .succeeded }.compactMap { parseTime($0.startedAt) }
        let listed = (listing ?? []).filter(\.isVerified).compactMap { $0.createdAt.flatMap(parseTime) }
        return (recorded + listed).max()
    }

    /// Whether any backup was tried here (so "no good backup" means they failed).
    public static func attempted(runs: [BackupRunRecord]) -> Bool {
        runs.contains { $0.kind == .backup && $0.result == .failed }
    }

    /// A failure for the panel and for `health`'s exit status.
    public var isFailure: Bool {
        switch verdict {
        case .stale, .never(attempted: true): true
        case .fresh, .never(attempted: false): false
        }
    }

    /// The panel's line, short enough for its narrowest width: `last good 3 h ago, max 2 d`.
    public var line: String {
        switch verdict {
        case .fresh: "last good \(Self.shortSpan(age ?? 0)) ago, max \(Self.shortSpan(limit))"
        case .stale: "last good \(Self.shortSpan(age ?? 0)) ago: over max \(Self.shortSpan(limit))"
        case .never(attempted: false): "no good backup yet"
        case .never(attempted: true): "no good backup: all runs failed"
        }
    }

    /// Where the limit comes from: `twice the schedule's 24 h interval` or `no schedule: 36 h`.
    public var limitReason: String {
        guard let interval else { return "no schedule: \(Self.span(limit))" }
        return "twice the schedule's \(Self.span(interval)) interval"
    }

    /// The panel's drill line, when a drill was recorded: `last drill 2 d ago: passed`.
    public var drillLine: String? {
        guard let drill, let drillAge else { return nil }
        return "last drill \(Self.shortSpan(drillAge)) ago: " + (drill.passed ? "passed" : "FAILED" + (drill.problem.map { ": \($0)" } ?? ""))
    }

    /// The `backup-freshness` probe's verdict.
    public var probeStatus: ProbeStatus {
        switch verdict {
        case .fresh: .ok
        case .stale, .never(attempted: true): .failing
        case .never(attempted: false): .degraded
        }
    }

    public var probeDetail: String {
        var text: String
        switch verdict {
        case .fresh, .stale: text = "last good backup \(Self.span(age ?? 0)) ago; max \(Self.span(limit)), \(limitReason)"
        case .never: text = "no good backup yet; max \(Self.span(limit)), \(limitReason)"
        }
        if let line = drillLine { text += "; " + line }
        return text
    }

    public var probeError: String? {
        switch verdict {
        case .fresh, .never(attempted: false): nil
        case .stale: "the last good backup is older than \(Self.span(limit))"
        case .never(attempted: true): "no backup has succeeded: every one recorded failed"
        }
    }

    /// `45 s`, `12 min`, `49 h`, `3 d`: one whole unit, for the panel (hours up to three days,
    /// so an age just over a 48 h limit does not read as "2 d, max 2 d").
    public static func shortSpan(_ seconds: TimeInterval) -> String {
        let total = Int(max(0, seconds))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min" }
        if total < 72 * 3600 { return "\(total / 3600) h" }
        return "\(total / 86_400) d"
    }

    /// `45 s`, `12 min`, `3 h 5 min`, `48 h`, `3 d 4 h`: whole units, the larger two (hours up
    /// to three days, as `shortSpan`).
    public static func span(_ seconds: TimeInterval) -> String {
        let total = Int(max(0, seconds))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min" }
        if total < 72 * 3600 {
            let minutes = total % 3600 / 60
            return minutes == 0 ? "\(total / 3600) h" : "\(total / 3600) h \(minutes) min"
        }
        let hours = total % 86_400 / 3600
        return hours == 0 ? "\(total / 86_400) d" : "\(total / 86_400) d \(hours) h"
    }

    /// `2026-11-27T02:00:00.12Z` (as the scripts write times) as a date; seconds precision.
    public static func parseTime(_ iso: String) -> Date? {
        let c = Array(iso.utf8)
        guard c.count >= 20, c[4] == 45, c[7] == 45, c[10] == 84, c[13] == 58, c[16] == 58, iso.hasSuffix("Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in c[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}

/// The outcome of the last restore drill (`backup verify` of the newest backup, on its own
/// schedule). Filled from verify records where the scripts write them; nil when none exists.
public struct BackupDrill: Equatable, Sendable {
    public var time: Date
    public var passed: Bool
    public var backupID: String?
    public var problem: String?

    public init(time: Date, passed: Bool, backupID: String? = nil, problem: String? = nil) {
        self.time = time
        self.passed = passed
        self.backupID = backupID
        self.problem = problem
    }
}
