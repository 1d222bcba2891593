/// What the console knows about probe results and their history.
public struct HealthState: Equatable, Sendable {
    public init() {}

    /// Rows the panel lists, for moving the selection.
    public var rowCount: Int { 0 }
}
