import OpsCore

/// The honest "nothing here yet" text of a panel that has no data.
enum EmptyState {
    static func draw(into grid: inout Grid, _ rect: Rect, headline: String, detail: String, glyphs: Glyphs) {
        guard rect.width > 2, rect.height > 0 else { return }
        grid.put(Text.fit(headline, width: rect.width - 2, glyphs: glyphs), x: rect.x + 1, y: rect.y, role: .muted)
        for (offset, line) in Text.wrap(detail, width: rect.width - 2).enumerated() where offset + 1 < rect.height {
            grid.put(line, x: rect.x + 1, y: rect.y + 1 + offset, role: .muted)
        }
    }
}
