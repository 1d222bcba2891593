/// Requests about detached jobs and the audit log, run by the console's jobs effect runner.
public enum JobsEffect: Equatable, Sendable {
}
