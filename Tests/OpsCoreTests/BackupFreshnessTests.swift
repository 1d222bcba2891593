import Foundation
@testable import OpsCore
import Testing

/// The freshness rule: the last good backup may be twice the schedule's longest interval old,
/// or 36 h without a schedule. Time is a value here, never the clock.
@Suite struct BackupFreshnessTests {
    static let now = BackupFreshness.parseTime("2026-11-28T12:00:00.00Z")!
    static let hour: TimeInterval = 3600

    static func interval(_ expression: String) -> TimeInterval? {
        BackupCronSchedule(expression)?.longestInterval(after: now)
    }

    @Test func scheduleIntervals() {
        #expect(Self.interval("0 2 * * *") == 24 * Self.hour)
        #expect(Self.interval("@hourly") == Self.hour)
        #expect(Self.interval("*/15 * * * *") == 15 * 60.0)
        #expect(Self.interval("* * * * *") == 60.0)
        // Weekdays only: Friday 02:00 to Monday 02:00 is the longest gap.
        #expect(Self.interval("0 2 * * 1-5") == 72 * Self.hour)
        // Two times a day, unevenly: 02:00 → 20:00 is 18 h, 20:00 → 02:00 is 6 h.
        #expect(Self.interval("0 2,20 * * *") == 18 * Self.hour)
        #expect(Self.interval("@weekly") == 7 * 24 * Self.hour)
        // Monthly: from 2026-12-01 to 2027-01-01.
        #expect(Self.interval("@monthly") == 31 * 24 * Self.hour)
        #expect(Self.interval("@reboot") == nil)
    }

    @Test func freshWithinTwiceTheInterval() {
        let lastGood = Self.now.addingTimeInterval(-47 * Self.hour)
        let f = BackupFreshness.evaluate(lastGood: lastGood, attempted: false, interval: 24 * Self.hour, now: Self.now)
        #expect(f.verdict == .fresh && !f.isFailure && f.probeStatus == .ok)
        #expect(f.limit == 48 * Self.hour && f.age == 47 * Self.hour)
        #expect(f.line == "last good 47 h ago, max 48 h")
        #expect(f.probeDetail == "last good backup 47 h ago; max 48 h, twice the schedule's 24 h interval")
        #expect(f.probeError == nil)
    }

    @Test func staleBeyondTwiceTheInterval() {
        let lastGood = Self.now.addingTimeInterval(-(48 * Self.hour + 60))
        let f = BackupFreshness.evaluate(lastGood: lastGood, attempted: false, interval: 24 * Self.hour, now: Self.now)
        #expect(f.verdict == .stale && f.isFailure && f.probeStatus == .failing)
        #expect(f.line == "last good 48 h ago: over max 48 h")
        #expect(f.probeError == "the last good backup is older than 48 h")
    }

    @Test func thirtySixHoursWithoutASchedule() {
        let fresh = BackupFreshness.evaluate(lastGood: Self.now.addingTimeInterval(-36 * Self.hour), attempted: false,
                                             interval: nil, now: Self.now)
        #expect(fresh.verdict == .fresh && fresh.limitReason == "no schedule: 36 h")
        let stale = BackupFreshness.evaluate(lastGood: Self.now.addingTimeInterval(-36 * Self.hour - 1), attempted: false,
                                             interval: nil, now: Self.now)
        #expect(stale.verdict == .stale && stale.line == "last good 36 h ago: over max 36 h")
    }

    @Test func noGoodBackupIsAFailureOnlyAfterFailedAttempts() {
        let none = BackupFreshness.evaluate(lastGood: nil, attempted: false, interval: nil, now: Self.now)
        #expect(none.verdict == .never(attempted: false) && !none.isFailure && none.probeStatus == .degraded)
        let failed = BackupFreshness.evaluate(lastGood: nil, attempted: true, interval: nil, now: Self.now)
        #expect(failed.isFailure && failed.probeStatus == .failing)
        #expect(failed.line == "no good backup: all runs failed")
    }

    @Test func lastGoodIsTheNewestSucceededRunOrVerifiedListing() {
        let runs = BackupFixtures.runs
        #expect(BackupFreshness.lastGood(runs: runs, listing: nil) == BackupFreshness.parseTime("2026-11-27T02:00:00Z"))
        // A newer verified backup made elsewhere counts; an incomplete one does not.
        let listing = [
            BackupRemoteEntry(id: "20261128T010000Z-9999", createdAt: "2026-11-28T01:00:00.00Z", state: "verified"),
            BackupRemoteEntry(id: "20261128T110000Z-8888", createdAt: "2026-11-28T11:00:00.00Z", state: "incomplete"),
        ]
        #expect(BackupFreshness.lastGood(runs: runs, listing: listing) == BackupFreshness.parseTime("2026-11-28T01:00:00.5Z"))
        // A failed run alone is an attempt, not a good backup.
        let failedOnly = [runs[1]]
        #expect(BackupFreshness.lastGood(runs: failedOnly, listing: nil) == nil)
        #expect(BackupFreshness.attempted(runs: failedOnly) && !BackupFreshness.attempted(runs: []))
    }

    @Test func drillAgeAndResult() {
        let drill = BackupDrill(time: Self.now.addingTimeInterval(-50 * Self.hour), passed: false, problem: "member x differs")
        let f = BackupFreshness.evaluate(lastGood: Self.now, attempted: false, interval: nil, drill: drill, now: Self.now)
        #expect(f.drillLine == "last drill 50 h ago: FAILED: member x differs")
        #expect(f.probeDetail.hasSuffix("; last drill 50 h ago: FAILED: member x differs"))
        #expect(BackupFreshness.evaluate(lastGood: Self.now, attempted: false, interval: nil, now: Self.now).drillLine == nil)
    }

    @Test func spansAndTimes() {
        #expect(BackupFreshness.span(59) == "59 s")
        #expect(BackupFreshness.span(61 * 60) == "1 h 1 min")
        #expect(BackupFreshness.span(47 * Self.hour + 59 * 60) == "47 h 59 min")
        #expect(BackupFreshness.span(49 * Self.hour) == "49 h" && BackupFreshness.span(73 * Self.hour) == "3 d 1 h")
        #expect(BackupFreshness.shortSpan(71 * Self.hour + 59 * 60) == "71 h" && BackupFreshness.shortSpan(73 * Self.hour) == "3 d")
        #expect(BackupFreshness.parseTime("2026-11-27T02:00:00Z") == BackupFreshness.parseTime("2026-11-27T02:00:00.99Z"))
        #expect(BackupFreshness.parseTime("11-27 02:00") == nil)
    }

    @Test func scheduleLoadedWorksOutTheIntervalOnce() {
        var state = update(AppState(), .backups(.scheduleLoaded("0 2 * * *", at: Self.now))).0
        #expect(state.backups.scheduleInterval == 24 * Self.hour)
        state = update(state, .backups(.scheduleLoaded(nil, at: Self.now))).0
        #expect(state.backups.scheduleInterval == nil)
        state = update(state, .backups(.runsLoaded(BackupFixtures.runs))).0
        let f = state.backups.freshness(now: Self.now)
        #expect(f?.lastGood == BackupFreshness.parseTime("2026-11-27T02:00:00Z") && f?.verdict == .fresh)
        let drill = BackupDrill(time: Self.now, passed: true)
        state = update(state, .backups(.drillLoaded(drill))).0
        #expect(state.backups.freshness(now: Self.now)?.drill == drill)
    }
}
