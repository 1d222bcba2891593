/// Requests about image builds, their history and the log view, run by the console's build effect runner.
public enum BuildEffect: Equatable, Sendable {
    /// Stop the running build (nothing is tagged).
    case cancel
    /// Follow `container`'s log (timestamps on; the view hides them) from its last `tail` lines;
    /// replaces any stream running.
    case streamLogs(container: String, tail: Int, generation: Int)
    case stopLogs
    case loadHistory
}
