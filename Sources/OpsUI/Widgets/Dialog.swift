import OpsCore

/// A box drawn over the screen, centred, its inside cleared.
enum Dialog {
    /// Draws the frame at most `width`×`height` (shrunk to fit) and returns the inner rectangle.
    static func draw(into grid: inout Grid, title: String, width: Int, height: Int, top: Int? = nil, glyphs: Glyphs) -> Rect {
        let boxWidth = min(width, grid.width - 2)
        let boxHeight = min(height, grid.height - 2)
        let rect = Rect(
            x: (grid.width - boxWidth) / 2,
            y: top ?? (grid.height - boxHeight) / 2,
            width: boxWidth, height: boxHeight
        )
        grid.fill(rect, with: Cell(" ", role: .overlay))
        return Box.draw(into: &grid, rect, title: title, focused: true, glyphs: glyphs)
    }
}
