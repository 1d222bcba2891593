import Foundation

/// Short texts for times and latencies, shared by the panel and the details page.
enum HealthFormat {
    static func latency(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        return String(format: "%.1f s", seconds)
    }

    /// "just now", "12s ago", "3m ago", "2h ago", "4d ago".
    static func ago(_ time: Date, now: Date) -> String {
        let seconds = Int(max(0, now.timeIntervalSince(time)))
        if seconds < 1 { return "just now" }
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        if seconds < 86_400 { return "\(seconds / 3600)h ago" }
        return "\(seconds / 86_400)d ago"
    }
}
