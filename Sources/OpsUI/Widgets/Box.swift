import OpsCore

/// A bordered region with a title in its top edge.
public enum Box {
    /// Draws the border and returns the inner rectangle left for content.
    @discardableResult
    public static func draw(
        into grid: inout Grid, _ rect: Rect, title: String, focused: Bool, glyphs: Glyphs
    ) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let role: StyleRole = focused ? .borderFocused : .border
        let horizontal = focused ? glyphs.focusedHorizontal : glyphs.horizontal
        let vertical = focused ? glyphs.focusedVertical : glyphs.vertical
        for x in rect.x..<rect.maxX {
            grid[x, rect.y] = Cell(horizontal, role: role)
            grid[x, rect.maxY - 1] = Cell(horizontal, role: role)
        }
        for y in rect.y..<rect.maxY {
            grid[rect.x, y] = Cell(vertical, role: role)
            grid[rect.maxX - 1, y] = Cell(vertical, role: role)
        }
        grid[rect.x, rect.y] = Cell(focused ? glyphs.focusedTopLeft : glyphs.topLeft, role: role)
        grid[rect.maxX - 1, rect.y] = Cell(focused ? glyphs.focusedTopRight : glyphs.topRight, role: role)
        grid[rect.x, rect.maxY - 1] = Cell(focused ? glyphs.focusedBottomLeft : glyphs.bottomLeft, role: role)
        grid[rect.maxX - 1, rect.maxY - 1] = Cell(focused ? glyphs.focusedBottomRight : glyphs.bottomRight, role: role)
        if rect.width > 4, !title.isEmpty {
            let label = Text.fit(" \(title) ", width: rect.width - 4, glyphs: glyphs)
            grid.put(label, x: rect.x + 2, y: rect.y, role: focused ? .borderFocused : .title)
        }
        return rect.inset(by: 1)
    }
}
