/// What covers the main screen, if anything. Esc closes it.
public enum Overlay: Equatable, Sendable {
    case help(scroll: Int)
    case palette(PaletteState)
    case messages
    case confirm(Confirmation)
    case page(TextPage)
    case jobs(scroll: Int)

    /// Help and pages of text only scroll; other keys wait until they are closed.
    var isForReading: Bool {
        switch self {
        case .help, .page: return true
        case .palette, .messages, .confirm, .jobs: return false
        }
    }
}

/// The command palette: the typed query and the highlighted match.
public struct PaletteState: Equatable, Sendable {
    public var query: String = ""
    public var selection: Int = 0

    public init(query: String = "", selection: Int = 0) {
        self.query = query
        self.selection = selection
    }

    /// Commands matching the query, best first.
    public var matches: [Command] {
        FuzzyMatch.rank(Command.allCases.filter { $0 != .palette }, query: query, by: \.title)
    }
}
