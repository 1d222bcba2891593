/// What the console knows about image builds, their history and the log view.
public struct BuildState: Equatable, Sendable {
    public init() {}

    /// Rows the panel lists, for moving the selection.
    public var rowCount: Int { 0 }
}
