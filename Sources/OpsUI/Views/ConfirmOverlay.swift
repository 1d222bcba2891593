import OpsCore

/// A yes/no question before something that changes the pod, the image or the data, or a pick
/// between a few answers named by their keys.
enum ConfirmOverlay {
    static func draw(into grid: inout Grid, confirmation: Confirmation, glyphs: Glyphs) {
        let width = min(70, grid.width - 4)
        let wrapped = confirmation.lines.flatMap { Text.wrap(Text.displayable($0, glyphs: glyphs), width: width - 4) }
        let inner = Dialog.draw(
            into: &grid, title: confirmation.title, width: width, height: wrapped.count + 5, glyphs: glyphs
        )
        guard inner.height > 1 else { return }
        for (row, line) in wrapped.prefix(inner.height - 2).enumerated() {
            grid.put(line, x: inner.x + 1, y: inner.y + row, role: .overlay)
        }
        let answers = confirmation.operation == .chooseSidecar
            ? [("f", " FalkorDB   "), ("v", " Valkey   "), ("Esc", " cancel")]
            : [("y", " \(confirmation.yes)   "), ("n", " / Esc \(confirmation.no)")]
        var x = inner.x + 1
        for (key, meaning) in answers {
            x += grid.put(key, x: x, y: inner.maxY - 1, role: .keyHint)
            x += grid.put(meaning, x: x, y: inner.maxY - 1, role: .muted)
        }
    }
}
