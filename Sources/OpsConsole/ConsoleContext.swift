import OpsAdapters
import OpsCore

/// What every effect runner gets: the start-up facts, the adapters, and the way back into the
/// run loop.
public struct ConsoleContext: Sendable {
    public let startup: Startup
    public let adapters: ConsoleAdapters
    /// Hands an action to the terminal thread; safe from any thread.
    public let post: @Sendable (Action) -> Void
    /// Hands the terminal thread a collector it runs when it drains (see `Mailbox`): for sources
    /// that may outrun the loop.
    public let postCollecting: @Sendable (@escaping @Sendable () -> [Action]) -> Void

    public init(startup: Startup, adapters: ConsoleAdapters, mailbox: Mailbox) {
        self.startup = startup
        self.adapters = adapters
        post = { mailbox.post($0) }
        postCollecting = { mailbox.post(collecting: $0) }
    }

    /// Podman for the settings in effect now.
    var pod: any PodControl { adapters.pod(startup.settings) }
    var backups: any BackupScripts { adapters.backups(startup.settings) }
    var jobs: any ConsoleJobs { adapters.jobs }
}

/// The adapters the runners use, behind the protocols they need. The podman-side ones are made
/// for the settings in effect when an operation starts (a reload may change the image).
public struct ConsoleAdapters: Sendable {
    public var jobs: any ConsoleJobs
    public var pod: @Sendable (Settings) -> any PodControl
    public var backups: @Sendable (Settings) -> any BackupScripts

    public init(
        jobs: any ConsoleJobs, pod: @escaping @Sendable (Settings) -> any PodControl,
        backups: @escaping @Sendable (Settings) -> any BackupScripts
    ) {
        self.jobs = jobs
        self.pod = pod
        self.backups = backups
    }

    /// The real ones: podman, the scripts in the image, the jobs under the state folder.
    public static func live(paths: AppPaths) -> ConsoleAdapters {
        ConsoleAdapters(
            jobs: LocalJobs(stateDirectory: paths.stateDirectory),
            pod: { LivePodControl(settings: $0, paths: paths) },
            backups: { settings in
                let pod = LivePodControl(settings: settings, paths: paths)
                return LiveBackupScripts(
                    client: BackupClient(podman: pod.client), lister: BackupOfflineLister(deployer: pod.deployer)
                )
            }
        )
    }
}
