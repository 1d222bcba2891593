/// Starting and stopping the one `podman stats` stream behind the resources overlay.
public enum StatsEffect: Equatable, Sendable {
    /// Stream every `interval` seconds, keeping only `containers` (the pod's, by name).
    case start(generation: Int, containers: [String], interval: Int)
    case stop
}
