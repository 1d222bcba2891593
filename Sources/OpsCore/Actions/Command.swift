/// Everything an operator can ask for by key or from the command palette. The raw value is the
/// name used in config's `keys:` section.
public enum Command: String, CaseIterable, Sendable {
    case help
    case quit
    case back
    case nextPanel = "next-panel"
    case previousPanel = "previous-panel"
    case focusHealth = "focus-health"
    case focusEnvironment = "focus-environment"
    case focusBackups = "focus-backups"
    case focusBuild = "focus-build"
    case moveDown = "down"
    case moveUp = "up"
    case top
    case bottom
    case pageDown = "page-down"
    case pageUp = "page-up"
    case palette
    case filter
    case cycleTheme = "cycle-theme"
    case messages

    public var title: String {
        switch self {
        case .help: return "Show help"
        case .quit: return "Quit"
        case .back: return "Close overlay / clear filter"
        case .nextPanel: return "Next panel"
        case .previousPanel: return "Previous panel"
        case .focusHealth: return "Go to Health"
        case .focusEnvironment: return "Go to Environment"
        case .focusBackups: return "Go to Backups"
        case .focusBuild: return "Go to Build & Logs"
        case .moveDown: return "Move down"
        case .moveUp: return "Move up"
        case .top: return "Go to top"
        case .bottom: return "Go to bottom"
        case .pageDown: return "Page down"
        case .pageUp: return "Page up"
        case .palette: return "Command palette"
        case .filter: return "Filter the list"
        case .cycleTheme: return "Next theme"
        case .messages: return "Show messages (config and theme problems)"
        }
    }

    /// Keys bound before config overrides.
    public var defaultKeys: [Key] {
        switch self {
        case .help: return [.character("?")]
        case .quit: return [.character("q")]
        case .back: return [.escape]
        case .nextPanel: return [.tab]
        case .previousPanel: return [.backTab]
        case .focusHealth: return [.character("1")]
        case .focusEnvironment: return [.character("2")]
        case .focusBackups: return [.character("3")]
        case .focusBuild: return [.character("4")]
        case .moveDown: return [.character("j"), .down]
        case .moveUp: return [.character("k"), .up]
        case .top: return [.character("g"), .home]
        case .bottom: return [.character("G"), .end]
        case .pageDown: return [.pageDown, .control("f")]
        case .pageUp: return [.pageUp, .control("b")]
        case .palette: return [.character(":")]
        case .filter: return [.character("/")]
        case .cycleTheme: return [.character("t")]
        case .messages: return [.character("m")]
        }
    }
}
