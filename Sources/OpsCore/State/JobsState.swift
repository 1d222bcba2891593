/// What the console knows about detached jobs and the audit log.
public struct JobsState: Equatable, Sendable {
    /// Every job on record, newest first: this console's, other consoles' and the CLI's.
    public var jobs: [JobStatus] = []
    /// Recent audit entries, oldest first.
    public var audit: [JobAuditEntry] = []
    /// The job whose output the page overlay shows and follows.
    public var attachedJobID: String?

    public init(jobs: [JobStatus] = [], audit: [JobAuditEntry] = []) {
        self.jobs = jobs
        self.audit = audit
    }

    public var running: [JobStatus] { jobs.filter { $0.state == .running } }

    public var rowCount: Int { jobs.count }

    /// The job at a row of the Jobs overlay, the row clamped to the list.
    public func job(atRow row: Int) -> JobStatus? {
        guard !jobs.isEmpty else { return nil }
        return jobs[min(max(0, row), jobs.count - 1)]
    }

    /// Asked before quitting while jobs run: they keep running, and this says how to see them
    /// again. Nil when nothing runs.
    public var quitConfirmation: Confirmation? {
        let running = running
        guard !running.isEmpty else { return nil }
        return Confirmation(title: "Quit while jobs run?", detail: .runningJobs, operation: .quitWhileJobsRun)
    }
}
