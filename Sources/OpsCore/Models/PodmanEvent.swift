import Foundation

/// One line of `podman events --format json`.
public struct PodmanEvent: Equatable, Sendable {
    /// `container`, `pod`, `image`, `volume`, ...
    public var type: String
    /// What happened: `create`, `start`, `died`, `health_status`, `remove`, ...
    public var status: String
    public var id: String
    public var name: String
    public var image: String
    public var podID: String
    public var time: Date
    public var exitCode: Int?
    public var healthStatus: PodmanHealthStatus?
    public var attributes: [String: String]

    public init(
        type: String, status: String, id: String = "", name: String = "", image: String = "",
        podID: String = "", time: Date, exitCode: Int? = nil, healthStatus: PodmanHealthStatus? = nil,
        attributes: [String: String] = [:]
    ) {
        self.type = type
        self.status = status
        self.id = id
        self.name = name
        self.image = image
        self.podID = podID
        self.time = time
        self.exitCode = exitCode
        self.healthStatus = healthStatus
        self.attributes = attributes
    }
}

/// What the pod watch stream delivers: a fresh snapshot after connecting and after events,
/// the events themselves, and notice when the events process ended and is being restarted.
public enum PodmanWatchUpdate: Equatable, Sendable {
    /// The events process is running (its pid, for diagnostics).
    case connected(processID: Int32)
    case snapshot(PodSnapshot)
    case event(PodmanEvent)
    /// The events stream ended; it is restarted after a short delay, then resynced.
    case disconnected(reason: String, attempt: Int)
    /// A snapshot could not be taken (podman error); the stream keeps going.
    case failed(PodmanFailure)
}
