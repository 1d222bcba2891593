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
    case apply
    /// The guard's dialog: wait for the backup, restore or replacement in the way, then carry on.
    indirect case waitThen(ConfirmedOperation)
    /// Not a yes/no question: `f` or `v` picks the sidecar redis-cli runs in.
    case chooseSidecar
}

/// The confirmation dialog: what will happen, in the operator's words, and the operation to run
/// on `y`. `n` or Esc cancels.
public struct Confirmation: Equatable, Sendable {
    public var title: String
    public var lines: [String]
    public var operation: ConfirmedOperation
    /// What `y` and `n` mean, shown under the question.
    public var yes: String
    public var no: String

    public init(title: String, lines: [String], operation: ConfirmedOperation, yes: String = "yes", no: String = "no") {
        self.title = title
        self.lines = lines
        self.operation = operation
        self.yes = yes
        self.no = no
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
