/// Requests about pod, its containers, the engine and the events stream, run by the console's pod effect runner.
public enum PodEffect: Equatable, Sendable {
    case up
    case down
    /// Watch podman's events for the pod: snapshots, events, reconnects.
    case watch
    /// A tick a minute, for uptimes.
    case clock
    /// Work out what apply would recreate (for its confirmation).
    case planApply
    /// `podman restart` of one container of the pod, audited.
    case restart(container: String)
}
