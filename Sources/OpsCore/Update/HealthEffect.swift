/// Requests about probe results and their history, run by the console's health effect runner.
public enum HealthEffect: Equatable, Sendable {
    /// Build the probes and run them on their schedules.
    case start
    /// Every scheduled probe, now.
    case runAll
    /// One probe now (the deeper B2 check is only run this way).
    case run(ProbeID)
    /// `podman healthcheck run` on the OpenCode container now.
    case runHealthcheck
    /// Write a new secrets file at `path` (never over an existing one), then read it again.
    case writeSecrets(path: String)
}
