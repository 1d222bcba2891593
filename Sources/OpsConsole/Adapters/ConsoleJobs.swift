import Foundation
import OpsAdapters
import OpsCore

/// What the console needs from detached jobs: start one, read their statuses, follow a job's
/// log, watch the jobs folder, interrupt a build, and the audit log.
public protocol ConsoleJobs: Sendable {
    func start(_ request: JobRequest) throws(JobLaunchError) -> JobStarted
    func list() -> [JobStatus]
    func read(_ id: String) -> JobStatus?
    /// The job's log so far, then each new line, ending when the job has ended.
    func lines(of id: String) -> AsyncStream<String>
    /// Follows the log for a view that keeps `keep` lines (see `JobLogFollower.tail`); returns
    /// how to stop.
    func tail(of id: String, keep: Int, onReady: @escaping @Sendable (LineTail<String>) -> Void) -> @Sendable () -> Void
    /// A value on every change of the jobs folder or the audit log (and a slow liveness tick).
    func changes() -> AsyncStream<Void>
    /// Interrupts the job as Ctrl-C would, when its process still lives.
    func interrupt(_ job: JobStatus)
    func audit(limit: Int) -> [JobAuditEntry]
    func record(action: String, target: String, result: String)
}

/// The jobs under the state folder, through `JobLauncher`, `JobStore`, `JobLogFollower` and
/// `JobsWatch`.
public struct LocalJobs: ConsoleJobs {
    public let stateDirectory: String

    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    private var store: JobStore { JobStore(stateDirectory: stateDirectory) }

    public func start(_ request: JobRequest) throws(JobLaunchError) -> JobStarted {
        try JobLauncher(stateDirectory: stateDirectory).start(request)
    }

    public func list() -> [JobStatus] { store.list() }

    public func read(_ id: String) -> JobStatus? { store.read(id) }

    public func lines(of id: String) -> AsyncStream<String> { JobLogFollower(store: store, id: id).lines() }

    public func tail(of id: String, keep: Int, onReady: @escaping @Sendable (LineTail<String>) -> Void) -> @Sendable () -> Void {
        JobLogFollower(store: store, id: id).tail(keep: keep, onReady: onReady)
    }

    public func changes() -> AsyncStream<Void> { JobsWatch(stateDirectory: stateDirectory).changes() }

    public func interrupt(_ job: JobStatus) {
        if job.pid > 0, JobStore.isAlive(pid: job.pid, jobID: job.id) { kill(job.pid, SIGINT) }
    }

    public func audit(limit: Int) -> [JobAuditEntry] { JobAuditLog(stateDirectory: stateDirectory).entries(limit: limit) }

    public func record(action: String, target: String, result: String) {
        JobAuditLog(stateDirectory: stateDirectory).record(action: action, target: target, result: result)
    }
}
