import OpsCore

/// The screen a console opens on when there is no secrets file yet: what is missing, and a key
/// that writes it (the same file `opencode-ops init` writes).
enum FirstRunOverlay {
    static func lines(_ state: AppState) -> [String] {
        [
            "No secrets file at \(state.secretsFile).",
            "",
            "It holds the values the image reads: provider keys, B2 keys for backups, and the "
                + "passwords of the OpenCode server and the databases. Without one, `up` refuses to "
                + "start OpenCode (no server password).",
            "",
            "Writing it lists every variable, grouped, each with what needs it; the three passwords "
                + "are generated, everything else is left for you to fill in.",
        ]
    }

    static func draw(into grid: inout Grid, state: AppState, glyphs: Glyphs) {
        let width = min(74, grid.width - 4)
        let wrapped = lines(state).flatMap { $0.isEmpty ? [""] : Text.wrap(Text.displayable($0, glyphs: glyphs), width: width - 4) }
        let inner = Dialog.draw(into: &grid, title: "First run", width: width, height: wrapped.count + 5, glyphs: glyphs)
        guard inner.height > 1 else { return }
        for (row, line) in wrapped.prefix(inner.height - 2).enumerated() {
            grid.put(line, x: inner.x + 1, y: inner.y + row, role: .overlay)
        }
        func label(_ command: Command) -> String {
            state.keyMap.keys(for: command).first.map { state.glyphs == .unicode ? $0.label : $0.asciiLabel } ?? ":\(command.rawValue)"
        }
        var x = inner.x + 1
        x += grid.put(label(.initSecrets), x: x, y: inner.maxY - 1, role: .keyHint)
        x += grid.put(" write it now   ", x: x, y: inner.maxY - 1, role: .muted)
        x += grid.put(label(.back), x: x, y: inner.maxY - 1, role: .keyHint)
        x += grid.put(" later   ", x: x, y: inner.maxY - 1, role: .muted)
        x += grid.put(label(.quit), x: x, y: inner.maxY - 1, role: .keyHint)
        grid.put(" quit", x: x, y: inner.maxY - 1, role: .muted)
    }
}
