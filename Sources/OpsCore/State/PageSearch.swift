/// A search in a page of text, as in `less`: `/` forward, `?` backward, `n` and `N` repeat it
/// the same and the other way. Matches ignore case, as the panels' filters do.
public struct PageSearch: Equatable, Sendable {
    public var query: String
    /// Typing the query; Enter searches, Esc drops it.
    public var isEditing: Bool
    public var isBackward: Bool
    /// The line of the match shown, nil before the first search or when nothing matched.
    public var matchLine: Int?

    public init(query: String = "", isEditing: Bool = true, isBackward: Bool = false, matchLine: Int? = nil) {
        self.query = query
        self.isEditing = isEditing
        self.isBackward = isBackward
        self.matchLine = matchLine
    }

    /// Lines holding the query, in order.
    public func matchingLines(in lines: [String]) -> [Int] {
        guard !query.isEmpty else { return [] }
        let needle = query.lowercased()
        return lines.indices.filter { lines[$0].lowercased().contains(needle) }
    }
}
