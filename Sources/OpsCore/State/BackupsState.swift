/// What the console knows about backup runs, the remote listing and a running backup's progress.
public struct BackupsState: Equatable, Sendable {
    public init() {}

    /// Rows the panel lists, for moving the selection.
    public var rowCount: Int { 0 }
}
