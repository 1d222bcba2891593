import OpsCore

/// The top line: what the console is looking at.
enum HeaderBar {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        grid.fill(rect, with: Cell(" ", role: .header))
        let separator = " \(glyphs.separator) "
        let parts = [
            "opencode-ops",
            "pod \(state.settings.pod): no pod running",
            "image \(state.settings.image)",
            "engine \(state.settings.podmanBinary)",
        ]
        let text = Text.displayable(" " + parts.joined(separator: separator), glyphs: glyphs)
        grid.put(Text.fit(text, width: rect.width, glyphs: glyphs), x: rect.x, y: rect.y, role: .header)
    }
}
