import OpsCore

/// `?`: every binding, from the live key map so config overrides show.
public enum HelpOverlay {
    /// The help text lines, also used by tests to check that every command is listed.
    public static func lines(for state: AppState) -> [(keys: String, title: String)] {
        Command.allCases.map { command in
            let keys = state.keyMap.keys(for: command)
                .map { state.glyphs == .unicode ? $0.label : $0.asciiLabel }
                .joined(separator: " ")
            return (keys.isEmpty ? "-" : keys, command.title)
        }
    }

    static func draw(into grid: inout Grid, state: AppState, scroll: Int, glyphs: Glyphs) {
        let lines = lines(for: state)
        let keyWidth = min(16, lines.map(\.keys.count).max() ?? 8)
        let inner = Dialog.draw(
            into: &grid, title: "Help (Esc closes)", width: 64, height: lines.count + 4, glyphs: glyphs
        )
        guard inner.height > 0 else { return }
        let visible = inner.height - 1
        let offset = min(scroll, max(0, lines.count - visible))
        for (row, line) in lines.dropFirst(offset).prefix(visible).enumerated() {
            let y = inner.y + row
            grid.put(Text.pad(line.keys, width: keyWidth, glyphs: glyphs), x: inner.x + 1, y: y, role: .keyHint)
            grid.put(Text.fit(line.title, width: inner.width - keyWidth - 3, glyphs: glyphs),
                     x: inner.x + keyWidth + 2, y: y, role: .overlay)
        }
        let more = lines.count > visible ? "j/k scroll  " : ""
        grid.put(Text.fit("\(more)theme: \(state.theme.name)", width: inner.width - 2, glyphs: glyphs),
                 x: inner.x + 1, y: inner.maxY - 1, role: .muted)
    }
}
