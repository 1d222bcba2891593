import OpsCore

/// `m`: problems found in config and theme files, newest last.
enum MessagesOverlay {
    static func draw(into grid: inout Grid, state: AppState, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "Messages (Esc closes)", width: grid.width - 4, height: grid.height - 4, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        if state.messages.isEmpty {
            grid.put("no messages", x: inner.x + 1, y: inner.y, role: .muted)
            return
        }
        let wrapped = state.messages.flatMap { Text.wrap(Text.displayable($0, glyphs: glyphs), width: inner.width - 2) }
        for (row, line) in wrapped.suffix(inner.height).enumerated() {
            grid.put(line, x: inner.x + 1, y: inner.y + row, role: .overlay)
        }
    }
}
