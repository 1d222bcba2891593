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
    /// From the build slice: a rebuilt container is not healthy and the previous image is kept
    /// (nil: a new build or a replacement withdrew the offer).
    case rollbackOffered(RollbackOffer?)
    /// From the build slice: a rollback job this console did not start is running.
    case rollbackFollowed
    /// From the jobs slice: the jobs as listed now (an apply ends with its job).
    case jobsListed([JobStatus])
    /// From the jobs slice: a rollback or apply job the console asked for did not start.
    case jobRefused(JobKind)
}
