/// Selection and scroll of a list panel, with the filter typed for it.
public struct ListPosition: Equatable, Sendable {
    public var selection: Int = 0
    public var filter: String = ""

    public init(selection: Int = 0, filter: String = "") {
        self.selection = selection
        self.filter = filter
    }

    /// Keeps the selection inside a list of `count` rows.
    public mutating func clamp(count: Int) {
        selection = count == 0 ? 0 : min(max(0, selection), count - 1)
    }
}
