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
    /// CPU, memory, network and block I/O of the pod's containers, streamed while it is open.
    case stats(scroll: Int)
    /// No secrets file yet: offers to write one.
    case firstRun

    /// Help, messages and pages of text only scroll; other keys wait until they are closed.
    var isForReading: Bool {
        switch self {
        case .help, .page, .messages, .images, .stats: return true
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

    /// Commands matching the query by title or synonym, best first; an action outranks
    /// navigation that matches as well (`up` lists "Bring the pod up" before "Move up").
    public var matches: [Command] {
        Self.rank(Command.allCases.filter { $0 != .palette }, query: query)
    }

    /// How much an action's score is raised over navigation's: enough to win a tie or a near
    /// tie, not enough to beat a clearly better match.
    static let actionBonus = 15

    static func rank(_ commands: [Command], query: String) -> [Command] {
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else { return commands }
        return commands.enumerated()
            .compactMap { offset, command -> (Int, Command, Int)? in
                let scores = ([command.title] + command.synonyms).compactMap { FuzzyMatch.score($0, query: query) }
                guard let best = scores.max() else { return nil }
                return (offset, command, best + (command.isNavigation ? 0 : actionBonus))
            }
            .sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }
            .map(\.1)
    }
}
