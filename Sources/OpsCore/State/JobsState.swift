/// What the console knows about detached jobs and the audit log.
public struct JobsState: Equatable, Sendable {
    public init() {}

    /// Asked before quitting while jobs run: they keep running, and this says how to see them
    /// again. Nil when nothing runs.
    public var quitConfirmation: Confirmation? { nil }
}
