/// Something that changes the pod, the image or the data, waiting for the operator's yes.
public enum ConfirmedOperation: Equatable, Sendable {
    case podUp
    case podDown
    case build
    case rebuild
    case rollback
    case cancelBuild
    case backupNow
    /// Restores are confirmed twice: `step` 1 names what will be overwritten, step 2 asks again.
    case restore(backupID: String, step: Int)
    case quitWhileJobsRun
    /// Not a yes/no question: `f` or `v` picks the sidecar redis-cli runs in.
    case chooseSidecar
}

/// The confirmation dialog: what will happen, in the operator's words, and the operation to run
/// on `y`. `n` or Esc cancels.
public struct Confirmation: Equatable, Sendable {
    public var title: String
    public var lines: [String]
    public var operation: ConfirmedOperation

    public init(title: String, lines: [String], operation: ConfirmedOperation) {
        self.title = title
        self.lines = lines
        self.operation = operation
    }
}

/// A scrollable page of text over the screen: probe details, a backup run's log, a build log.
public struct TextPage: Equatable, Sendable {
    public var title: String
    public var lines: [String]
    public var scroll: Int

    public init(title: String, lines: [String], scroll: Int = 0) {
        self.title = title
        self.lines = lines
        self.scroll = scroll
    }
}
