/// Requests about detached jobs and the audit log, run by the console's jobs effect runner.
public enum JobsEffect: Equatable, Sendable {
    /// Read the jobs directory and the audit log again.
    case refresh
    /// Start a long operation as a detached job, then follow it: the one way every
    /// confirmation (build, rebuild, rollback, apply, restore, verify) starts one.
    case start(JobRequest)
    /// Watch the jobs folder and the audit log, and list them on each change.
    case watch
    /// Follow the jobs that run already (started by another console, the CLI, or this console
    /// before an SSH drop), and show the last image job's result.
    case resume
    /// Stream a job's output, following it while it runs.
    case attach(jobID: String)
    /// Stop streaming the attached job's output (the job itself goes on).
    case detach
}
