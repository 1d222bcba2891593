/// Results and events for detached jobs and the audit log, sent by its adapters.
public enum JobsAction: Sendable {
    /// The jobs directory and audit log as they are now.
    case listed(jobs: [JobStatus], audit: [JobAuditEntry])
    /// A job this console asked for has started; `notes` such as a cleared stale lock.
    case started(JobStatus, notes: [String])
    /// A job could not start: another of its group runs (who and when), or an I/O problem.
    case refused(JobRequest, reason: String)
    /// New lines of the attached job's output.
    case output(jobID: String, lines: [String])
    /// Lines of the attached job's output that came faster than the page keeps, dropped before
    /// reaching it (the newest are kept: they follow this).
    case outputSkipped(jobID: String, count: Int)
    /// The attached job's output is complete: the job has ended.
    case outputEnded(jobID: String)
}
