/// Requests about detached jobs and the audit log, run by the console's jobs effect runner.
public enum JobsEffect: Equatable, Sendable {
    /// Read the jobs directory and the audit log again.
    case refresh
    /// Start a long operation as a detached job (other features' confirmations return this).
    case start(JobRequest)
    /// Stream a job's output, following it while it runs.
    case attach(jobID: String)
    /// Stop streaming the attached job's output (the job itself goes on).
    case detach
}
