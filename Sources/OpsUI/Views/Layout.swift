import OpsCore

/// Where the main screen's parts go at a given size. The mouse handler uses it too, so clicks
/// land on what was drawn.
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 40
    public static let minimumHeight = 12

    public var header: Rect
    public var footer: Rect
    /// Panels on screen: all four in a 2×2 grid when there is room, else only the focused one.
    public var panels: [(Panel, Rect)]
    /// The row of panel tabs shown when only one panel fits.
    public var tabs: Rect?

    public static func == (lhs: Layout, rhs: Layout) -> Bool {
        lhs.header == rhs.header && lhs.footer == rhs.footer && lhs.tabs == rhs.tabs
            && lhs.panels.map(\.0) == rhs.panels.map(\.0) && lhs.panels.map(\.1) == rhs.panels.map(\.1)
    }

    public static func isTooSmall(width: Int, height: Int) -> Bool {
        width < minimumWidth || height < minimumHeight
    }

    public init(width: Int, height: Int, focus: Panel) {
        header = Rect(x: 0, y: 0, width: width, height: 1)
        footer = Rect(x: 0, y: height - 1, width: width, height: 1)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        if width >= 70 && height >= 18 {
            tabs = nil
            let leftWidth = body.width / 2
            let topHeight = body.height / 2
            panels = [
                (.health, Rect(x: 0, y: body.y, width: leftWidth, height: topHeight)),
                (.environment, Rect(x: leftWidth, y: body.y, width: body.width - leftWidth, height: topHeight)),
                (.backups, Rect(x: 0, y: body.y + topHeight, width: leftWidth, height: body.height - topHeight)),
                (.build, Rect(x: leftWidth, y: body.y + topHeight, width: body.width - leftWidth, height: body.height - topHeight)),
            ]
        } else {
            tabs = Rect(x: 0, y: body.y, width: width, height: 1)
            panels = [(focus, Rect(x: 0, y: body.y + 1, width: width, height: body.height - 1))]
        }
    }

    /// The panel drawn at a screen position, if any.
    public func panel(atX x: Int, y: Int) -> Panel? {
        if let tabs, y == tabs.y {
            return TabStrip.panel(atX: x, width: tabs.width)
        }
        return panels.first { _, rect in
            x >= rect.x && x < rect.maxX && y >= rect.y && y < rect.maxY
        }?.0
    }
}
