import OpsCore

/// The bottom line: the filter being typed, or key hints and a count of messages.
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
        let hints: [(Command, String)] = [
            (.help, "help"), (.quit, "quit"), (.nextPanel, "panel"), (.filter, "filter"),
            (.palette, "commands"), (.cycleTheme, "theme"),
        ]
        var x = rect.x + 1
        var right = rect.maxX
        if !state.messages.isEmpty {
            let count = state.messages.count
            let label = "\(glyphs.warn) \(count) message\(count == 1 ? "" : "s") (m)"
            right = max(rect.x, rect.maxX - label.count - 1)
            grid.put(label, x: right, y: rect.y, role: .warn)
        }
        for (command, word) in hints {
            guard let key = state.keyMap.keys(for: command).first else { continue }
            let keyLabel = state.glyphs == .unicode ? key.label : key.asciiLabel
            guard x + keyLabel.count + word.count + 3 <= right else { break }
            x += grid.put(keyLabel, x: x, y: rect.y, role: .keyHint)
            x += grid.put(" \(word)  ", x: x, y: rect.y, role: .muted)
        }
    }
}
