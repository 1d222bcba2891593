import Foundation

/// A `BACKUP_SCHEDULE` cron expression (five fields, or `@hourly`/`@daily`/`@weekly`/
/// `@monthly`), read to show the next scheduled run. Times are UTC, as in the container.
public struct BackupCronSchedule: Equatable, Sendable {
    public let expression: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    /// cron's rule: when both day fields are restricted, either one matching is enough.
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    /// Nil when the expression is not one cron would accept; `problem` says why.
    public init?(_ expression: String) {
        guard case .success(let schedule) = Self.parse(expression) else { return nil }
        self = schedule
    }

    private init(expression: String, fields: [Set<Int>], restricted: (Bool, Bool)) {
        self.expression = expression
        minutes = fields[0]
        hours = fields[1]
        days = fields[2]
        months = fields[3]
        weekdays = fields[4]
        daysRestricted = restricted.0
        weekdaysRestricted = restricted.1
    }

    public struct Problem: Error, Equatable, Sendable {
        public var message: String
    }

    public static func parse(_ text: String) -> Result<BackupCronSchedule, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let aliases = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
                       "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"]
        let expanded = aliases[trimmed.lowercased()] ?? trimmed
        let parts = expanded.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 5 else {
            return .failure(Problem(message: "BACKUP_SCHEDULE \"\(trimmed)\": expected 5 fields (minute hour day month weekday), got \(parts.count)"))
        }
        let names = ["minute", "hour", "day", "month", "weekday"]
        let ranges = [0...59, 0...23, 1...31, 1...12, 0...7]
        var fields: [Set<Int>] = []
        for (index, part) in parts.enumerated() {
            guard var values = field(part, range: ranges[index]) else {
                return .failure(Problem(message: "BACKUP_SCHEDULE \"\(trimmed)\": bad \(names[index]) field \"\(part)\""))
            }
            if index == 4, values.contains(7) { values.remove(7); values.insert(0) }
            fields.append(values)
        }
        return .success(BackupCronSchedule(
            expression: trimmed, fields: fields, restricted: (parts[2] != "*", parts[4] != "*")
        ))
    }

    private static func field(_ text: String, range: ClosedRange<Int>) -> Set<Int>? {
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let stepParts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard stepParts.count <= 2 else { return nil }
            var step = 1
            if stepParts.count == 2 {
                guard let parsed = Int(stepParts[1]), parsed > 0 else { return nil }
                step = parsed
            }
            let base = stepParts[0]
            var lower = range.lowerBound
            var upper = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count), let first = Int(bounds[0]) else { return nil }
                lower = first
                upper = bounds.count == 2 ? (Int(bounds[1]) ?? -1) : (stepParts.count == 2 ? range.upperBound : first)
            }
            guard range.contains(lower), range.contains(upper), lower <= upper else { return nil }
            values.formUnion(stride(from: lower, through: upper, by: step))
        }
        return values
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The first minute strictly after `date` the schedule fires, within about a year.
    public func nextRun(after date: Date) -> Date? {
        let calendar = Self.calendar
        guard var candidate = calendar.date(bySetting: .second, value: 0, of: date.addingTimeInterval(60)) else { return nil }
        if candidate <= date { candidate = candidate.addingTimeInterval(60) }
        let limit = date.addingTimeInterval(366 * 86400 + 86400)
        while candidate < limit {
            let parts = calendar.dateComponents([.month, .day, .weekday, .hour, .minute], from: candidate)
            guard let month = parts.month, let day = parts.day, let weekday = parts.weekday,
                  let hour = parts.hour, let minute = parts.minute else { return nil }
            if !months.contains(month) || !dayMatches(day: day, weekday: weekday - 1) {
                candidate = calendar.startOfDay(for: candidate).addingTimeInterval(86400)
                continue
            }
            if !hours.contains(hour) {
                candidate = candidate.addingTimeInterval(Double(60 - minute) * 60)
                continue
            }
            if !minutes.contains(minute) {
                candidate = candidate.addingTimeInterval(60)
                continue
            }
            return candidate
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        if daysRestricted && weekdaysRestricted { return days.contains(day) || weekdays.contains(weekday) }
        return days.contains(day) && weekdays.contains(weekday)
    }
}
