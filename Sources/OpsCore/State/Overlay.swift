/// What covers the main screen, if anything. Esc closes it.
public enum Overlay: Equatable, Sendable {
    case help(scroll: Int)
    case palette(PaletteState)
    /// Messages scrolled back from the newest (0 follows new ones as they come).
    case messages(scrollBack: Int)
    case confirm(Confirmation)
    case page(TextPage)
    case jobs(scroll: Int)
    /// The project's images, the pod's volumes and podman's storage; `P` prunes from here too.
    case images(scroll: Int)
    /// No secrets file yet: offers to write one.
    case firstRun

    /// Help, messages and pages of text only scroll; other keys wait until they are closed.
    var isForReading: Bool {
        switch self {
        case .help, .page, .messages, .images: return true
        case .palette, .confirm, .jobs, .firstRun: return false
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
