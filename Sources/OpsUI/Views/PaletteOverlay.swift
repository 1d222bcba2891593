import OpsCore

/// `:`: type to narrow the command list, Enter runs the highlighted one.
enum PaletteOverlay {
    static func draw(into grid: inout Grid, state: AppState, palette: PaletteState, glyphs: Glyphs) {
        let matches = palette.matches
        let inner = Dialog.draw(
            into: &grid, title: "Commands", width: 60, height: min(matches.count, 10) + 4, top: 2, glyphs: glyphs
        )
        guard inner.height > 1 else { return }
        let prompt = ":" + palette.query
        grid.put(Text.fit(Text.displayable(prompt, glyphs: glyphs), width: inner.width - 2, glyphs: glyphs),
                 x: inner.x + 1, y: inner.y, role: .input)
        if matches.isEmpty {
            grid.put("no matching command", x: inner.x + 1, y: inner.y + 1, role: .muted)
            return
        }
        let visible = inner.height - 1
        let offset = max(0, palette.selection - visible + 1)
        for (row, command) in matches.dropFirst(offset).prefix(visible).enumerated() {
            let y = inner.y + 1 + row
            let key = state.keyMap.keys(for: command).first.map { state.glyphs == .unicode ? $0.label : $0.asciiLabel } ?? ""
            let selected = offset + row == palette.selection
            let marker = selected ? glyphs.selectionMarker : " "
            grid.put(Text.pad("\(marker) \(command.title)", width: inner.width - key.count - 3, glyphs: glyphs),
                     x: inner.x + 1, y: y, role: selected ? .selection : .overlay)
            grid.put(key, x: inner.maxX - key.count - 1, y: y, role: .keyHint)
        }
    }
}
