import OpsCore

/// Panel tabs for narrow terminals, where only the focused panel is drawn.
public enum TabStrip {
    static func labels() -> [String] {
        Panel.allCases.map { " \($0.number) \(short($0)) " }
    }

    static func short(_ panel: Panel) -> String {
        switch panel {
        case .health: return "Health"
        case .environment: return "Env"
        case .backups: return "Backups"
        case .build: return "Build"
        }
    }

    static func draw(into grid: inout Grid, _ rect: Rect, focus: Panel) {
        var x = rect.x
        for (panel, label) in zip(Panel.allCases, labels()) {
            x += grid.put(label, x: x, y: rect.y, role: panel == focus ? .selection : .muted, maxWidth: rect.maxX - x)
        }
    }

    /// The tab under column `x`.
    public static func panel(atX x: Int, width: Int) -> Panel? {
        var start = 0
        for (panel, label) in zip(Panel.allCases, labels()) {
            if x >= start && x < start + label.count { return panel }
            start += label.count
        }
        return nil
    }
}
