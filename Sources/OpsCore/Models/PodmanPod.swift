import Foundation

/// A pod with its containers (infra included, flagged).
public struct PodmanPod: Equatable, Sendable {
    public var id: String
    public var name: String
    public var state: PodmanPodState
    public var createdAt: Date?
    public var labels: [String: String]
    public var containers: [PodmanContainer]

    public init(
        id: String, name: String, state: PodmanPodState, createdAt: Date? = nil,
        labels: [String: String] = [:], containers: [PodmanContainer] = []
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.createdAt = createdAt
        self.labels = labels
        self.containers = containers
    }

    /// True when `up` made this pod; a pod without our label was made by hand and is never touched.
    public var isManaged: Bool { labels[PodmanLabels.managed] == "true" }

    /// Containers other than the infra one.
    public var workloadContainers: [PodmanContainer] { containers.filter { !$0.isInfra } }

    public func container(role: PodmanRole) -> PodmanContainer? {
        // By name first: while a container is replaced, the old one, set aside under another
        // name, carries the same role label.
        containers.first { $0.name == role.containerName(pod: name) } ?? containers.first { $0.role == role }
    }
}

/// Pod state (`State` of pod inspect, `Status` of pod ps).
public enum PodmanPodState: Equatable, Sendable {
    case created, running, degraded, stopped, exited, paused, dead
    case unknown(String)

    public init(podmanText: String) {
        switch podmanText.lowercased() {
        case "created": self = .created
        case "running": self = .running
        case "degraded": self = .degraded
        case "stopped": self = .stopped
        case "exited": self = .exited
        case "paused": self = .paused
        case "dead", "error": self = .dead
        default: self = .unknown(podmanText)
        }
    }

    public var text: String {
        switch self {
        case .created: "created"
        case .running: "running"
        case .degraded: "degraded"
        case .stopped: "stopped"
        case .exited: "exited"
        case .paused: "paused"
        case .dead: "dead"
        case .unknown(let text): text
        }
    }
}

/// What the console knows about the pod at one moment: the pod (nil when absent).
public struct PodSnapshot: Equatable, Sendable {
    public var podName: String
    public var pod: PodmanPod?
    public var takenAt: Date

    public init(podName: String, pod: PodmanPod?, takenAt: Date) {
        self.podName = podName
        self.pod = pod
        self.takenAt = takenAt
    }
}
