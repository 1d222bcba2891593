import Foundation
import OpsCore

/// The build history (Enter on the build source), newest first, from the state as it is now:
/// a build that ends while the page is open shows on it.
enum BuildHistoryOverlay {
    static let header = "started (UTC)         duration   result      image"

    static func draw(into grid: inout Grid, state: AppState, scroll: Int, glyphs: Glyphs) {
        var lines = state.build.history.reversed().map(line)
        if lines.isEmpty { lines = ["no builds recorded yet"] }
        lines.insert(header, at: 0)
        let page = TextPage(title: "Build history", lines: lines, scroll: min(scroll, max(0, lines.count - 1)))
        PageOverlay.draw(into: &grid, page: page, keys: "j/k scroll, Esc closes", glyphs: glyphs)
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
