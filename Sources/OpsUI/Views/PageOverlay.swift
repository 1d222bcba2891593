import OpsCore

/// A scrollable page of text: details of a probe, a backup run's log, an environment entry.
enum PageOverlay {
    static func draw(into grid: inout Grid, page: TextPage, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "\(page.title) (Esc closes)", width: grid.width - 4, height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        for (row, line) in page.lines.dropFirst(page.scroll).prefix(inner.height).enumerated() {
            let text = Text.fit(Text.displayable(line, glyphs: glyphs), width: inner.width - 2, glyphs: glyphs)
            grid.put(text, x: inner.x + 1, y: inner.y + row, role: .overlay)
        }
    }
}
