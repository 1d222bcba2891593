import OpsCore

/// `?`: every binding, from the live key map so config overrides show. Two columns when the
/// terminal is wide enough, scrolling with j/k when it is not tall enough.
public enum HelpOverlay {
    /// The help text lines, also used by tests to check that every command is listed.
    public static func lines(for state: AppState) -> [(keys: String, title: String)] {
        Command.allCases.map { command in
            let keys = state.keyMap.keys(for: command)
                .map { state.glyphs == .unicode ? $0.label : $0.asciiLabel }
                .joined(separator: " ")
            return (keys.isEmpty ? ":" : keys, command.title)
        }
    }

    static let columnWidth = 56

    static func draw(into grid: inout Grid, state: AppState, scroll: Int, glyphs: Glyphs) {
        let lines = lines(for: state)
        let columns = grid.width >= 2 * columnWidth + 6 ? 2 : 1
        let rowsNeeded = (lines.count + columns - 1) / columns
        let inner = Dialog.draw(
            into: &grid, title: "Help (Esc closes)", width: columns * columnWidth + 4,
            height: rowsNeeded + 4, glyphs: glyphs
        )
        guard inner.height > 1 else { return }
        let visible = inner.height - 1
        let offset = min(scroll, max(0, rowsNeeded - visible))
        let width = inner.width / columns
        // Keys and titles: keys keep up to 12 columns, titles take the rest.
        let widths = ColumnLayout.widths([
            TableColumn(values: lines.map(\.keys), minimum: min(12, lines.map(\.keys.count).max() ?? 0)),
            TableColumn(values: lines.map(\.title), minimum: 8, fills: true),
        ], width: width - 2)
        for (index, line) in lines.enumerated() {
            let column = index / rowsNeeded
            let row = index % rowsNeeded - offset
            guard row >= 0, row < visible else { continue }
            ColumnLayout.drawRow([(line.keys, .keyHint), (line.title, .overlay)], widths: widths, into: &grid,
                                 x: inner.x + 1 + column * width, y: inner.y + row, glyphs: glyphs)
        }
        let more = rowsNeeded > visible ? "j/k scroll  " : ""
        grid.put(Text.fit("theme: \(state.theme.name)  \(more): runs commands without a key",
                          width: inner.width - 2, glyphs: glyphs),
                 x: inner.x + 1, y: inner.maxY - 1, role: .muted)
    }
}
