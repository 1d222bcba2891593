import Foundation

/// Results and events for pod, its containers, the engine and the events stream, sent by its adapters.
public enum PodAction: Sendable {
    /// From the events watch: snapshots, events, reconnects, failures.
    case watch(PodmanWatchUpdate)
    /// The runner's clock, for uptimes.
    case tick(Date)
    case upFinished(Result<PodmanBringUpResult, PodmanFailure>)
    case downFinished(Result<PodmanTearDownResult, PodmanFailure>)
    case rollbackFinished(Result<PodmanRebuildOutcome, PodmanFailure>)
    /// What apply would recreate, for the confirmation; empty when nothing differs.
    case applyPlanned(Result<PodmanApplyPlan, PodmanFailure>)
    /// A restart of one container ended; `problem` is nil when it runs again.
    case restartFinished(container: String, problem: String?)
}
