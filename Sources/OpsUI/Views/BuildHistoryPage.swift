import Foundation
import OpsCore

/// The build history page's text (Enter on the build source), newest first.
enum BuildHistoryPage {
    static let header = "started (UTC)         duration   result      image"

    static func lines(_ history: [PodmanBuildRecord]) -> [String] {
        let rows = history.reversed().map(line)
        return [header] + (rows.isEmpty ? ["no builds recorded yet"] : rows)
    }

    /// One build history row: start time, duration, result, image id or message.
    static func line(_ record: PodmanBuildRecord) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: record.startedAt)
        let two = { (value: Int?) -> String in let value = value ?? 0; return value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
        let detail = record.imageID.map(PodmanImageReference.short) ?? record.message ?? ""
        let duration = BuildClock.duration(record.duration)
        let result = record.result.rawValue
        return time + "   " + duration.padding(toLength: 11, withPad: " ", startingAt: 0)
            + result.padding(toLength: 12, withPad: " ", startingAt: 0) + detail
    }
}
