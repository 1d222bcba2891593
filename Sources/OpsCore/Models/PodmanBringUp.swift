import Foundation

/// Everything `up` will create, worked out from the settings before anything runs.
public struct PodmanBringUpPlan: Equatable, Sendable {
    public var podName: String
    /// `ADDRESS:HOSTPORT:4096` for `--publish`.
    public var publish: String
    public var bindAddress: String
    public var hostPort: Int
    public var labels: [String: String]
    public var volumes: [PodmanVolumeSpec]
    public var containers: [PodmanContainerSpec]

    public init(
        podName: String, publish: String, bindAddress: String, hostPort: Int,
        labels: [String: String], volumes: [PodmanVolumeSpec], containers: [PodmanContainerSpec]
    ) {
        self.podName = podName
        self.publish = publish
        self.bindAddress = bindAddress
        self.hostPort = hostPort
        self.labels = labels
        self.volumes = volumes
        self.containers = containers
    }

    public func container(role: PodmanRole) -> PodmanContainerSpec? {
        containers.first { $0.role == role }
    }
}

public struct PodmanVolumeSpec: Equatable, Sendable {
    public var name: String
    public var labels: [String: String]

    public init(name: String, labels: [String: String]) {
        self.name = name
        self.labels = labels
    }
}

/// One container of the pod.
public struct PodmanContainerSpec: Equatable, Sendable {
    public var role: PodmanRole
    public var name: String
    public var image: String
    /// Arguments after the image (the command), e.g. `--port 6380` for Valkey.
    public var arguments: [String]
    /// Non-secret overrides, passed with `--env`.
    public var environment: [String: String]
    /// Secrets file, passed with `--env-file` (never its contents on a command line).
    public var envFile: String?
    /// Named volume → mount path.
    public var mounts: [PodmanMount]
    public var labels: [String: String]
    public var stopTimeout: Int
    /// Replaces the image's entrypoint (`--entrypoint`); nil keeps it.
    public var entrypoint: String?
    /// `--log-opt max-size`; nil leaves podman's default (unbounded for k8s-file).
    public var logMaxSize: String?

    public init(
        role: PodmanRole, name: String, image: String, arguments: [String] = [],
        environment: [String: String] = [:], envFile: String? = nil, mounts: [PodmanMount] = [],
        labels: [String: String] = [:], stopTimeout: Int = 10, entrypoint: String? = nil, logMaxSize: String? = nil
    ) {
        self.role = role
        self.name = name
        self.image = image
        self.arguments = arguments
        self.environment = environment
        self.envFile = envFile
        self.mounts = mounts
        self.labels = labels
        self.stopTimeout = stopTimeout
        self.entrypoint = entrypoint
        self.logMaxSize = logMaxSize
    }
}

public struct PodmanMount: Equatable, Sendable {
    public var volume: String
    public var path: String

    public init(volume: String, path: String) {
        self.volume = volume
        self.path = path
    }
}

/// What `up` did.
public enum PodmanBringUpResult: Equatable, Sendable {
    /// Pod and containers created (or completed) and started.
    case started(pod: String, containers: [String], warnings: [String])
    /// Everything was already running; nothing changed.
    case alreadyUp(pod: String, warnings: [String])

    public var warnings: [String] {
        switch self {
        case .started(_, _, let warnings), .alreadyUp(_, let warnings): warnings
        }
    }
}

/// What `down` did.
public enum PodmanTearDownResult: Equatable, Sendable {
    case removed(pod: String, containers: [String], keptVolumes: [String])
    case notPresent(pod: String)
}
