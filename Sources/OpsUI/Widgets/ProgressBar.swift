import OpsCore

/// A bar of `width` columns filled to `fraction`: `████░░░░` in UTF-8, `####----` in ASCII.
enum ProgressBar {
    static func text(fraction: Double?, width: Int, glyphs: Glyphs) -> String {
        guard width > 0 else { return "" }
        let (full, empty): (Character, Character) = glyphs.asciiOnly ? ("#", "-") : ("█", "░")
        // Unknown progress: an empty bar, rather than a guess.
        guard let fraction, fraction.isFinite else { return String(repeating: empty, count: width) }
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        return String(repeating: full, count: filled) + String(repeating: empty, count: width - filled)
    }

    static func draw(into grid: inout Grid, x: Int, y: Int, width: Int, fraction: Double?, glyphs: Glyphs, role: StyleRole = .pending) {
        grid.put(text(fraction: fraction, width: width, glyphs: glyphs), x: x, y: y, role: role)
    }
}
