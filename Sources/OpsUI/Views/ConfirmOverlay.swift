import OpsCore

/// A yes/no question before something that changes the pod, the image or the data, or a pick
/// between a few answers named by their keys.
enum ConfirmOverlay {
    static func draw(into grid: inout Grid, state: AppState, confirmation: Confirmation, glyphs: Glyphs) {
        let width = min(70, grid.width - 4)
        // Data is worded from the state as it is now, so the dialog follows what changes under it.
        let lines = ConfirmationText.lines(for: confirmation.detail, in: state)
        let wrapped = lines.flatMap { Text.wrap(Text.displayable($0, glyphs: glyphs), width: width - 4) }
        let input = confirmation.needsTypedAnswer ? 1 : 0
        let inner = Dialog.draw(
            into: &grid, title: confirmation.title, width: width, height: wrapped.count + 5 + input, glyphs: glyphs
        )
        guard inner.height > 1 else { return }
        for (row, line) in wrapped.prefix(max(0, inner.height - 2 - input)).enumerated() {
            grid.put(line, x: inner.x + 1, y: inner.y + row, role: .overlay)
        }
        if confirmation.needsTypedAnswer {
            drawInput(into: &grid, inner, confirmation: confirmation, glyphs: glyphs)
            return
        }
        let answers: [(String, String)]
        switch confirmation.operation {
        case .chooseSidecar: answers = [("f", " FalkorDB   "), ("v", " Valkey   "), ("Esc", " cancel")]
        case .chooseRestart: answers = [("o", " OpenCode   "), ("f", " FalkorDB   "), ("v", " Valkey   "), ("Esc", " cancel")]
        default: answers = [("y", " \(confirmation.yes)   "), ("n", " / Esc \(confirmation.no)")]
        }
        var x = inner.x + 1
        for (key, meaning) in answers {
            x += grid.put(key, x: x, y: inner.maxY - 1, role: .keyHint)
            x += grid.put(meaning, x: x, y: inner.maxY - 1, role: .muted)
        }
    }

    /// The typed answer's input line (`> text_`) and its keys; `y` does nothing here.
    private static func drawInput(into grid: inout Grid, _ inner: Rect, confirmation: Confirmation, glyphs: Glyphs) {
        let field = max(1, min(30, inner.width - 4))
        var x = inner.x + 1
        x += grid.put("> ", x: x, y: inner.maxY - 3, role: .keyHint)
        let shown = Text.displayable(String(confirmation.typed.suffix(field - 1)), glyphs: glyphs)
        let padded = shown + String(repeating: "_", count: max(0, field - shown.count))
        grid.put(padded, x: x, y: inner.maxY - 3, role: .input)
        x = inner.x + 1
        x += grid.put("Enter", x: x, y: inner.maxY - 1, role: .keyHint)
        x += grid.put(" confirm   ", x: x, y: inner.maxY - 1, role: .muted)
        x += grid.put("Esc", x: x, y: inner.maxY - 1, role: .keyHint)
        grid.put(" cancel", x: x, y: inner.maxY - 1, role: .muted)
    }
}
