import Foundation

/// What the console knows about pod, its containers, the engine and the events stream.
public struct PodState: Equatable, Sendable {
    /// The latest snapshot from `podman events`-driven refreshes; nil until the first arrives.
    public var snapshot: PodSnapshot?
    public var events: EventsStatus = .connecting
    /// The last podman failure that keeps the console from knowing the pod's state.
    public var failure: PodmanFailure?
    /// An operation started from the console and not finished yet.
    public var operation: PodOperation?
    /// Set when a rebuilt container did not become healthy and the previous image is kept.
    public var rollbackOffer: RollbackOffer?
    /// Clock for uptimes, advanced by the runner's ticks (views are pure and read no clock).
    public var now: Date?

    public init() {}

    public var pod: PodmanPod? { snapshot?.pod }

    public func container(_ role: PodmanRole) -> PodmanContainer? { pod?.container(role: role) }

    /// True when our pod exists and runs.
    public var isUp: Bool {
        guard let pod else { return false }
        return pod.state == .running || pod.state == .degraded
    }

    /// Whether the pod runs, as far as the console knows: before the first snapshot it does not
    /// know, and says so rather than "no pod".
    public var presence: PodPresence {
        if snapshot == nil { return failure == nil ? .loading : .unknown }
        return isUp ? .up : .down
    }
}

/// The pod as the panels speak of it.
public enum PodPresence: Equatable, Sendable {
    /// No snapshot yet: the first `podman pod inspect` has not answered.
    case loading
    case up
    /// Absent, stopped or exited.
    case down
    /// Podman failed before any snapshot (not installed, no permission).
    case unknown
}

/// State of the `podman events` stream that drives refreshes.
public enum EventsStatus: Equatable, Sendable {
    case connecting
    case connected
    case reconnecting(attempt: Int, reason: String)
}

public enum PodOperation: String, Equatable, Sendable {
    case up = "bringing up"
    case down = "taking down"
    case rollback = "rolling back"
    case apply = "applying changes to"
}

public struct RollbackOffer: Equatable, Sendable {
    public var container: String
    public var reason: String
    public var previousTag: String

    public init(container: String, reason: String, previousTag: String) {
        self.container = container
        self.reason = reason
        self.previousTag = previousTag
    }
}
