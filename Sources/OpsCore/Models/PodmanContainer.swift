import Foundation

/// One container as podman reports it, reduced to what the console shows and decides on.
public struct PodmanContainer: Equatable, Sendable {
    public var id: String
    public var name: String
    /// Image reference the container was created from (as typed, e.g. `localhost/x:latest`).
    public var image: String
    /// Full image id, so a rebuild can keep exactly the running image as `:previous`.
    public var imageID: String
    public var state: PodmanContainerState
    public var health: PodmanHealth
    public var startedAt: Date?
    public var exitCode: Int?
    public var podID: String
    public var isInfra: Bool
    public var labels: [String: String]

    public init(
        id: String, name: String, image: String = "", imageID: String = "",
        state: PodmanContainerState, health: PodmanHealth = PodmanHealth(),
        startedAt: Date? = nil, exitCode: Int? = nil, podID: String = "", isInfra: Bool = false,
        labels: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.image = image
        self.imageID = imageID
        self.state = state
        self.health = health
        self.startedAt = startedAt
        self.exitCode = exitCode
        self.podID = podID
        self.isInfra = isInfra
        self.labels = labels
    }

    /// The part this container plays in our pod, from the label `up` puts on it.
    public var role: PodmanRole? {
        labels[PodmanLabels.role].flatMap(PodmanRole.init(rawValue:))
    }

    /// Time since start while running; nil otherwise.
    public func uptime(now: Date) -> TimeInterval? {
        guard state == .running, let startedAt else { return nil }
        return max(0, now.timeIntervalSince(startedAt))
    }
}

/// Container lifecycle state (`State.Status` of inspect, `State` of ps).
public enum PodmanContainerState: Equatable, Sendable {
    case created, running, paused, stopping, stopped, exited, removing, dead
    case unknown(String)

    public init(podmanText: String) {
        switch podmanText.lowercased() {
        case "created", "configured", "initialized": self = .created
        case "running", "up": self = .running
        case "paused": self = .paused
        case "stopping": self = .stopping
        case "stopped": self = .stopped
        case "exited": self = .exited
        case "removing": self = .removing
        case "dead": self = .dead
        default: self = .unknown(podmanText)
        }
    }

    public var text: String {
        switch self {
        case .created: "created"
        case .running: "running"
        case .paused: "paused"
        case .stopping: "stopping"
        case .stopped: "stopped"
        case .exited: "exited"
        case .removing: "removing"
        case .dead: "dead"
        case .unknown(let text): text
        }
    }
}

/// `State.Health` of a container; `.none` when the image has no health check.
public struct PodmanHealth: Equatable, Sendable {
    public var status: PodmanHealthStatus
    public var failingStreak: Int
    /// Output of the most recent check, trimmed; may help explain "unhealthy".
    public var lastOutput: String?

    public init(status: PodmanHealthStatus = .none, failingStreak: Int = 0, lastOutput: String? = nil) {
        self.status = status
        self.failingStreak = failingStreak
        self.lastOutput = lastOutput
    }
}

public enum PodmanHealthStatus: String, Equatable, Sendable {
    case none, starting, healthy, unhealthy

    public init(podmanText: String) {
        self = PodmanHealthStatus(rawValue: podmanText.lowercased()) ?? .none
    }
}

/// The three containers of the pod.
public enum PodmanRole: String, CaseIterable, Equatable, Sendable {
    case opencode, falkordb, valkey

    /// Container name inside pod `pod`.
    public func containerName(pod: String) -> String { "\(pod)-\(rawValue)" }
}

extension PodmanRole {
    /// What the console calls it: OpenCode, FalkorDB, Valkey.
    public var title: String {
        switch self {
        case .opencode: return "OpenCode"
        case .falkordb: return "FalkorDB"
        case .valkey: return "Valkey"
        }
    }

    /// The key that picks it in a dialog: o, f, v.
    public var pickKey: String { String(rawValue.prefix(1)) }
}

/// Label keys `up` puts on everything it creates; they tell our objects from hand-made ones.
public enum PodmanLabels {
    public static let managed = "io.opencode-ops.managed"
    public static let pod = "io.opencode-ops.pod"
    public static let role = "io.opencode-ops.role"
}
