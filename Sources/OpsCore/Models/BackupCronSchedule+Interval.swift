import Foundation

extension BackupCronSchedule {
    /// Runs looked at by `longestInterval`: enough for a week of `*/5` and more; a schedule
    /// firing more often than that is judged on its first runs.
    static let intervalSampleLimit = 3000

    /// The longest time between two consecutive runs starting within eight days after `start`
    /// (a week's pattern, whichever weekday it starts on); for a schedule that fires less often,
    /// the time between its first two runs. Nil for `@reboot` and for a schedule that never
    /// fires twice within a year. Freshness allows twice this (`BackupFreshness`).
    public func longestInterval(after start: Date) -> TimeInterval? {
        guard !runsOnlyAtStart, var previous = nextRun(after: start) else { return nil }
        let end = start.addingTimeInterval(8 * 86_400)
        var longest: TimeInterval?
        for _ in 0..<Self.intervalSampleLimit {
            guard let next = nextRun(after: previous) else { break }
            longest = max(longest ?? 0, next.timeIntervalSince(previous).rounded())   // whole minutes
            if next > end { break }
            previous = next
        }
        return longest
    }
}
