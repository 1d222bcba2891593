import Foundation

/// Times of day as the console shows them next to messages.
public enum ClockTime {
    /// `21:42:26`, in UTC like every other time the console shows.
    public static func text(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return [parts.hour, parts.minute, parts.second].map { two($0 ?? 0) }.joined(separator: ":")
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
