import Foundation

/// Podman's timestamps: RFC 3339 with up to nanoseconds (`2026-11-27T11:05:36.460382755Z`,
/// `...+01:00`), Go's default format (`2026-11-27 11:05:36.46 +0000 UTC`), and the zero time
/// `0001-01-01T00:00:00Z` meaning "never" (nil).
enum PodmanTime {
    static func parse(_ text: String) -> Date? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.hasPrefix("0001-01-01") { return nil }
        // Go default format: "2006-01-02 15:04:05.999999999 -0700 MST".
        let words = text.split(separator: " ")
        if words.count >= 3, words[1].contains(":") {
            let offset = words[2]
            let zone = offset.count == 5 ? "\(offset.prefix(3)):\(offset.suffix(2))" : String(offset)
            text = "\(words[0])T\(words[1])\(zone)"
        }
        guard text.count >= 19 else { return nil }
        let base = String(text.prefix(19))
        var rest = text.dropFirst(19)
        var fraction = 0.0
        if rest.first == "." {
            let digits = rest.dropFirst().prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
            rest = rest.dropFirst(1 + digits.count)
        }
        let zone = rest.isEmpty ? "Z" : String(rest)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: base + (zone == "Z" || zone == "z" ? "Z" : zone)) else { return nil }
        return date.addingTimeInterval(fraction)
    }
}
