import OpsCore

/// Shown instead of everything else when the terminal is below the minimum size.
enum TooSmallView {
    static func draw(into grid: inout Grid, glyphs: Glyphs) {
        let lines = [
            "terminal too small",
            "(need \(Layout.minimumWidth)\(glyphs.times)\(Layout.minimumHeight))",
        ]
        let top = max(0, (grid.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let fitted = Text.fit(line, width: grid.width, glyphs: glyphs)
            grid.put(fitted, x: max(0, (grid.width - fitted.count) / 2), y: top + offset, role: .warn)
        }
    }
}
