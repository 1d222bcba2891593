import OpsCore

/// A yes/no question before something that changes the pod, the image or the data.
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
        var x = inner.x + 1
        x += grid.put("y", x: x, y: inner.maxY - 1, role: .keyHint)
        x += grid.put(" \(confirmation.yes)   ", x: x, y: inner.maxY - 1, role: .muted)
        x += grid.put("n", x: x, y: inner.maxY - 1, role: .keyHint)
        grid.put(" / Esc \(confirmation.no)", x: x, y: inner.maxY - 1, role: .muted)
    }
}
