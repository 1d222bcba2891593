import OpsCore

/// The bottom line: the filter being typed, or the newest message for a few seconds after it came
/// (its time, level and text), else key hints; and the count of unread messages.
enum FooterBar {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        if state.isEditingFilter {
            let prompt = "/" + state.position(of: state.focus).filter
            grid.put(Text.displayable(prompt, glyphs: glyphs), x: rect.x, y: rect.y, role: .input, maxWidth: rect.width - 1)
            grid.put(
                Text.fit("  Enter keep  Esc clear", width: rect.width - prompt.count - 1, glyphs: glyphs),
                x: rect.x + prompt.count + 1, y: rect.y, role: .muted
            )
            return
        }
        var right = rect.maxX
        let status = state.statusMessage
        // Narrow, a message needs every column it can get.
        let compact = status != nil && rect.width < 60
        let unread = state.messages.unread.count
        if unread > 0 {
            // Amber only when something unread needs a look; successes just count.
            let attention = state.messages.unreadNeedsAttention
            let label = (attention ? "\(glyphs.warn) " : "") + (compact ? "\(unread) (m)" : "\(unread) unread (m)")
            right = max(rect.x, rect.maxX - label.count - 1)
            grid.put(label, x: right, y: rect.y, role: attention ? .warn : .muted)
        }
        // While a message shows, only the help hint stays before it.
        let hints: [(Command, String)] = status == nil ? [
            (.help, "help"), (.quit, "quit"), (.nextPanel, "panel"), (.filter, "filter"),
            (.palette, "commands"), (.cycleTheme, "theme"),
        ] : compact ? [] : [(.help, "help")]
        var x = rect.x + 1
        for (command, word) in hints {
            guard let key = state.keyMap.keys(for: command).first else { continue }
            let keyLabel = state.glyphs == .unicode ? key.label : key.asciiLabel
            guard x + keyLabel.count + word.count + 3 <= right else { break }
            x += grid.put(keyLabel, x: x, y: rect.y, role: .keyHint)
            x += grid.put(" \(word)  ", x: x, y: rect.y, role: .muted)
        }
        if let status {
            x += MessageStyle.drawPrefix(into: &grid, status, x: x, y: rect.y, glyphs: glyphs)
            let text = Text.fit(Text.displayable(status.text, glyphs: glyphs), width: max(0, right - x - 1), glyphs: glyphs)
            grid.put(text, x: x, y: rect.y, role: MessageStyle.role(status.level))
        }
    }
}
