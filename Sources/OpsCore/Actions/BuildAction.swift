import Foundation

/// Results and events for image builds, their history and the log view, sent by its adapters.
public enum BuildAction: Sendable {
    /// Updates of a plain build (`build` from the palette).
    case build(PodmanBuildUpdate)
    /// Updates of rebuild-and-replace (`b`).
    case rebuild(PodmanRebuildUpdate)
    /// Time since the running build started, sent every second while it runs.
    case tick(elapsed: TimeInterval)
    /// Lines of the container log stream `generation`.
    case logLines(generation: Int, [PodmanLogLine])
    /// Lines of the log stream `generation` that came faster than the view could take them and
    /// were dropped before reaching it (the newest are kept: they follow this).
    case logSkipped(generation: Int, count: Int)
    /// The log stream `generation` ended (container removed or stopped).
    case logEnded(generation: Int)
    /// A build, rebuild or rollback job already running when the console opened (started by
    /// another console, the CLI, or before an SSH drop): its output and result follow.
    case attached(JobStatus, elapsed: TimeInterval)
    /// The build history file, newest last.
    case history([PodmanBuildRecord])
    /// The end of a job that finished before this console opened: its result is shown as an
    /// earlier one, never as this session's banner.
    indirect case beforeThisConsole(BuildAction)
    /// From the pod slice: a new snapshot; the log stream follows the selected container.
    case containersChanged
    /// From the pod slice: a rollback's result for the panel's banner (nil clears it as one starts).
    case rollbackResult(BuildResult?)
    /// From the jobs slice: a build or rebuild job the console asked for did not start.
    case jobRefused(JobKind, reason: String)
}
