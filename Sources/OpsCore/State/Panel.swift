/// The four panels of the main screen, in Tab order.
public enum Panel: Int, CaseIterable, Sendable {
    case health = 0
    case environment
    case backups
    case build

    public var title: String {
        switch self {
        case .health: return "Health"
        case .environment: return "Environment"
        case .backups: return "Backups"
        case .build: return "Build & Logs"
        }
    }

    /// The number key that focuses the panel.
    public var number: Int { rawValue + 1 }

    public var next: Panel { Panel(rawValue: (rawValue + 1) % Panel.allCases.count)! }
    public var previous: Panel {
        Panel(rawValue: (rawValue + Panel.allCases.count - 1) % Panel.allCases.count)!
    }
}
