import OpsCore

/// Options of a bring-up that are not user settings: tests label and time out differently.
public struct PodmanDeployOptions: Equatable, Sendable {
    /// Labels added to every pod, container and volume created (tests: `opencode-ops-test=podman`).
    public var extraLabels: [String: String]
    /// Seconds podman waits after SIGTERM before SIGKILL when stopping a container.
    public var stopTimeout: Int

    public init(extraLabels: [String: String] = [:], stopTimeout: Int = 10) {
        self.extraLabels = extraLabels
        self.stopTimeout = stopTimeout
    }
}

/// Works out the pod, volumes and containers `up` creates from the settings.
public enum BringUpPlanner {
    /// Where each container keeps its data (one named volume each).
    public static let dataPaths: [PodmanRole: String] = [
        .opencode: "/root/.local/share/opencode",
        .falkordb: "/data",
        .valkey: "/data",
    ]
    public static let opencodePort = 4096
    public static let valkeyPort = ContainerExecPlan.sidecarPort(.valkey)

    public static func volumeName(pod: String, role: PodmanRole) -> String { PodmanVolumes.data(pod: pod, role: role) }

    /// The plan; `envFile` is the validated secrets file, or nil to start without one.
    public static func plan(settings: Settings, envFile: String?, options: PodmanDeployOptions = PodmanDeployOptions()) -> PodmanBringUpPlan {
        let pod = settings.pod
        let baseLabels = options.extraLabels.merging([PodmanLabels.managed: "true", PodmanLabels.pod: pod]) { _, ours in ours }
        let volumes = PodmanVolumes.all(pod: pod).map { PodmanVolumeSpec(name: $0, labels: baseLabels) }
        func spec(_ role: PodmanRole, image: String, arguments: [String] = []) -> PodmanContainerSpec {
            PodmanContainerSpec(
                role: role, name: role.containerName(pod: pod), image: image, arguments: arguments,
                mounts: [PodmanMount(volume: volumeName(pod: pod, role: role), path: dataPaths[role] ?? "/data")],
                labels: baseLabels.merging([PodmanLabels.role: role.rawValue]) { _, ours in ours },
                stopTimeout: options.stopTimeout, logMaxSize: settings.logMaxSize
            )
        }
        var opencode = spec(.opencode, image: settings.image)
        opencode.environment = settings.environment
        opencode.envFile = envFile
        opencode.mounts.append(PodmanMount(volume: PodmanVolumes.backupState(pod: pod), path: PodmanVolumes.backupStatePath))
        let address = settings.bindAddress.contains(":") ? "[\(settings.bindAddress)]" : settings.bindAddress
        return PodmanBringUpPlan(
            podName: pod, publish: "\(address):\(settings.port):\(opencodePort)", bindAddress: settings.bindAddress,
            hostPort: settings.port, labels: baseLabels, volumes: volumes,
            containers: [
                opencode,
                SidecarLaunch.apply(to: spec(.falkordb, image: settings.falkordbImage)),
                SidecarLaunch.apply(to: spec(.valkey, image: settings.valkeyImage)),
            ]
        )
    }

    /// `podman pod create` arguments.
    public static func podCreateArguments(_ plan: PodmanBringUpPlan) -> [String] {
        ["pod", "create", "--name", plan.podName] + labelArguments(plan.labels) + ["--publish", plan.publish]
    }

    /// `podman create` arguments for one container of the pod. `environmentFile` holds the
    /// spec's `environment` (written by `ConfigEnvironmentFile`): values never go on the
    /// command line, where `ps` shows them. Later env files win, so config beats secrets file.
    public static func containerCreateArguments(_ spec: PodmanContainerSpec, pod: String, environmentFile: String? = nil) -> [String] {
        var arguments = ["create", "--pod", pod, "--name", spec.name, "--stop-timeout", "\(spec.stopTimeout)"]
        if let size = spec.logMaxSize { arguments += ["--log-opt", "max-size=\(size)"] }
        if let entrypoint = spec.entrypoint { arguments += ["--entrypoint", entrypoint] }
        arguments += labelArguments(spec.labels)
        for mount in spec.mounts { arguments += ["--volume", "\(mount.volume):\(mount.path)"] }
        if let envFile = spec.envFile { arguments += ["--env-file", envFile] }
        // What the container was made with, so apply can tell a changed setting later. The config
        // env file's path is new for every create, and its values are compared one by one.
        let digest = ContainerDrift.digest(arguments: arguments + [spec.image] + spec.arguments)
        arguments += ["--label", "\(ContainerDrift.specLabel)=\(digest)"]
        if let environmentFile { arguments += ["--env-file", environmentFile] }
        return arguments + ["--", spec.image] + spec.arguments
    }

    public static func volumeCreateArguments(_ volume: PodmanVolumeSpec) -> [String] {
        ["volume", "create"] + labelArguments(volume.labels) + ["--", volume.name]
    }

    private static func labelArguments(_ labels: [String: String]) -> [String] {
        labels.keys.sorted().flatMap { ["--label", "\($0)=\(labels[$0] ?? "")"] }
    }
}
