/// Results and events for probe results and their history, sent by its adapters.
public enum HealthAction: Sendable {
    /// The probes are built and scheduled, in the order the panel lists them.
    case started([ProbeID])
    /// One run of one probe finished.
    case result(ProbeResult)
    /// The environment was (re)read: rows already masked, never values of secrets.
    case environment(rows: [EnvRow], origin: EnvironmentOrigin, containerRunning: Bool?)
    /// `init` wrote the secrets file, with generated values for `generated`.
    case secretsWritten(path: String, generated: [String])
    /// Something kept the probes or the environment from being read at all.
    case failed(String)
}
