import Foundation

/// A `BACKUP_SCHEDULE` cron expression, read to show the next scheduled run. Times are UTC, as in
/// the container.
///
/// The grammar is the one the image's entrypoint checks, case for case (both test suites read
/// `Tests/cron_cases.json`): Debian cron's five fields (numbers, three-letter month and day names
/// in any case, ranges, steps after `*` or a range, lists) and its `@` aliases, `@reboot`
/// included. Stricter than cron only where cron would install a job that does not mean what it
/// says: reversed ranges, steps larger than the field, control characters.
public struct BackupCronSchedule: Equatable, Sendable {
    public let expression: String
    /// `@reboot`: the job runs when the container starts, never at a time of day.
    public let runsOnlyAtStart: Bool
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    /// cron's rule: when both day fields are restricted, either one matching is enough.
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    /// Nil when the expression is not one cron would accept; `parse` says why.
    public init?(_ expression: String) {
        guard case .success(let schedule) = Self.parse(expression) else { return nil }
        self = schedule
    }

    private init(expression: String, fields: [Set<Int>], restricted: (Bool, Bool), runsOnlyAtStart: Bool = false) {
        self.expression = expression
        self.runsOnlyAtStart = runsOnlyAtStart
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

    static let aliases = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]
    static let fieldNames = ["minute", "hour", "day", "month", "weekday"]
    static let ranges = [0...59, 0...23, 1...31, 1...12, 0...7]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public static func parse(_ text: String) -> Result<BackupCronSchedule, Problem> {
        func problem(_ why: String) -> Result<BackupCronSchedule, Problem> {
            .failure(Problem(message: "BACKUP_SCHEDULE \"\(visible(text))\": \(why)"))
        }
        // A newline would put a second line in the cron table; any control character is refused.
        if text.unicodeScalars.contains(where: isControl) {
            return problem("it contains a control character (a newline, tab or other)")
        }
        // Fields are separated by spaces only, as the entrypoint's `read` splits them.
        var parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let trimmed = text.trimmingSpaces
        if let first = parts.first, first.hasPrefix("@") {
            if parts.count == 1, first == "@reboot" {
                let all = ranges.map { Set($0) }
                return .success(BackupCronSchedule(expression: trimmed, fields: all, restricted: (false, false), runsOnlyAtStart: true))
            }
            guard parts.count == 1, let expansion = aliases[first] else {
                return problem("unknown @ alias (known: @reboot @yearly @annually @monthly @weekly @daily @midnight @hourly, lower case, alone)")
            }
            parts = expansion.split(separator: " ").map(String.init)
        }
        guard parts.count == 5 else {
            return problem("expected 5 fields (minute hour day month weekday), got \(parts.count)")
        }
        var fields: [Set<Int>] = []
        for (index, part) in parts.enumerated() {
            guard var values = field(part, index: index) else {
                return problem("bad \(fieldNames[index]) field \"\(part)\"")
            }
            if index == 4, values.contains(7) { values.remove(7); values.insert(0) }
            fields.append(values)
        }
        // As cron: a day field starting with `*` (`*/2` too) does not restrict the day.
        return .success(BackupCronSchedule(
            expression: trimmed, fields: fields, restricted: (!parts[2].hasPrefix("*"), !parts[4].hasPrefix("*"))
        ))
    }

    /// One field: a comma list of `*`, `N`, `N-M`, `*/S` or `N-M/S`.
    private static func field(_ text: String, index: Int) -> Set<Int>? {
        let range = ranges[index]
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            var base = item
            var step = 1
            if let slash = item.firstIndex(of: "/") {
                base = item[..<slash]
                guard let parsed = number(item[item.index(after: slash)...]), (1...range.upperBound).contains(parsed) else { return nil }
                step = parsed
                // cron takes a step only after `*` or a range.
                guard base == "*" || base.contains("-") else { return nil }
            }
            var lower = range.lowerBound
            var upper = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2, let first = value(bounds[0], index: index) else { return nil }
                lower = first
                upper = first
                if bounds.count == 2 {
                    guard let last = value(bounds[1], index: index), first <= last else { return nil }
                    upper = last
                }
            }
            values.formUnion(stride(from: lower, through: upper, by: step))
        }
        return values
    }

    /// A number or, in the month and weekday fields, a three-letter name, within the field's range.
    private static func value(_ text: Substring, index: Int) -> Int? {
        let found: Int?
        if let parsed = number(text) {
            found = parsed
        } else if index == 3, let position = monthNames.firstIndex(of: text.lowercased()) {
            found = position + 1
        } else if index == 4, let position = weekdayNames.firstIndex(of: text.lowercased()) {
            found = position
        } else {
            found = nil
        }
        guard let found, ranges[index].contains(found) else { return nil }
        return found
    }

    /// ASCII digits only (no sign); leading zeros allowed. Anything above 99 is out of every range.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ (48...57).contains($0.value) }) else { return nil }
        let digits = text.drop(while: { $0 == "0" })
        guard digits.count <= 2 else { return nil }
        return Int(digits) ?? 0
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The text with control characters written as `\n`, `\t`, `\r` or `\u{NN}`, for messages.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The first minute strictly after `date` the schedule fires, within about a year; nil for
    /// `@reboot`, which fires only when the container starts.
    public func nextRun(after date: Date) -> Date? {
        if runsOnlyAtStart { return nil }
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

private extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
