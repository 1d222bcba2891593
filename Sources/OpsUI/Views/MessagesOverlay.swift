import OpsCore

/// `m`: problems and results the console reported (config, theme, jobs, backups), each with its
/// time and level, newest at the bottom. j/k scroll by message; scrolled back, the last row says
/// how many are newer.
enum MessagesOverlay {
    static func draw(into grid: inout Grid, state: AppState, scrollBack: Int, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "Messages (j/k scroll, Esc closes)", width: grid.width - 4, height: grid.height - 4,
            glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        let messages = state.messages
        if messages.isEmpty {
            grid.put("no messages", x: inner.x + 1, y: inner.y, role: .muted)
            return
        }
        let width = inner.width - 2
        let entries = state.messages.entries
        let indent = MessageStyle.prefix(Message(""), glyphs: glyphs).count
        // Each message: its time and level glyph, then the text wrapped under itself.
        let wrapped: [[(message: Message?, text: String)]] = entries.map { entry in
            let lines = Text.wrap(Text.displayable(entry.text, glyphs: glyphs), width: max(1, width - indent))
            return lines.enumerated().map { index, line in
                (index == 0 ? entry : nil, String(repeating: " ", count: indent) + line)
            }
        }
        let counts = wrapped.map(\.count)
        var end = visibleEnd(lineCounts: counts, scrollBack: scrollBack, height: inner.height)
        if end < messages.count {   // the last row goes to the "newer below" hint
            end = visibleEnd(lineCounts: counts, scrollBack: scrollBack, height: inner.height - 1)
        }
        let newer = messages.count - end
        let rows = newer > 0 ? inner.height - 1 : inner.height
        let wanted = messages.count - min(max(0, scrollBack), messages.count - 1)
        let lines = wrapped[..<end].joined()
        // Scrolled to the oldest, the first message starts at the top even if the last is cut.
        let shown = end > wanted ? Array(lines.prefix(rows)) : Array(lines.suffix(rows))
        for (row, line) in shown.enumerated() {
            grid.put(line.text, x: inner.x + 1, y: inner.y + row, role: .overlay)
            if let message = line.message {
                MessageStyle.drawPrefix(into: &grid, message, x: inner.x + 1, y: inner.y + row, glyphs: glyphs)
            }
        }
        if newer > 0 {
            let hint = "\(newer) newer below (G: newest)"
            grid.put(Text.fit(hint, width: width, glyphs: glyphs), x: inner.x + 1, y: inner.y + rows, role: .muted)
        }
    }

    /// One past the last message shown: `scrollBack` messages before the newest, but never so
    /// far back that the screen would not be full (g shows the oldest at the top).
    static func visibleEnd(lineCounts: [Int], scrollBack: Int, height: Int) -> Int {
        let wanted = lineCounts.count - min(max(0, scrollBack), lineCounts.count - 1)
        var filled = 0
        var fullAt = lineCounts.count
        for (index, count) in lineCounts.enumerated() {
            filled += count
            if filled >= height {
                fullAt = index + 1
                break
            }
        }
        return max(wanted, fullAt)
    }
}
