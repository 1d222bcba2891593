import OpsCore

/// A one-line chart of recent values (probe latencies), newest on the right.
public enum Sparkline {
    static let unicodeLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiLevels: [Character] = ["_", ".", ",", "-", "=", "+", "*", "#"]

    /// The last `width` values as bar characters scaled to the largest shown, padded on the
    /// left with spaces so the newest value always sits in the last column. With
    /// `fromLowest`, the scale starts at the smallest value shown instead of zero, so a small
    /// change of a large figure (memory) still shows. The scale's top is at least `minimumTop`,
    /// so a steady trickle does not fill the chart.
    public static func render(_ values: [Double], width: Int, glyphs: Glyphs, fromLowest: Bool = false, minimumTop: Double = 0) -> String {
        guard width > 0 else { return "" }
        let levels = glyphs.asciiOnly ? asciiLevels : unicodeLevels
        let finite = values.suffix(width).map { $0.isFinite ? max(0, $0) : 0 }
        let bottom = fromLowest ? (finite.min() ?? 0) : 0
        let shown = finite.map { $0 - bottom }
        let top = max(shown.max() ?? 0, minimumTop)
        let bars = shown.map { value -> Character in
            guard top > 0 else { return levels[0] }
            let index = Int((value / top * Double(levels.count - 1)).rounded())
            return levels[min(max(0, index), levels.count - 1)]
        }
        return String(repeating: " ", count: width - bars.count) + String(bars)
    }
}
