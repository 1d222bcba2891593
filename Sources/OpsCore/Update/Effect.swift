import Foundation

/// Requests to the outside world that `update` returns; adapters run them and answer with actions.
public enum Effect: Equatable, Sendable {
    case loadTheme(name: String)
    /// Read the current theme again after an edit; a broken edit keeps the running theme.
    case reloadTheme(name: String)
    case quit
    /// Send `.tick` at this time (the footer's message then goes).
    case wake(at: Date)
    case pod(PodEffect)
    case build(BuildEffect)
    case health(HealthEffect)
    case backups(BackupsEffect)
    case jobs(JobsEffect)
    case kube(KubeEffect)
    case images(ImagesEffect)
    /// Start or stop the resources overlay's `podman stats` stream.
    case stats(StatsEffect)
    /// Write a log to a private file; the runner says where in a message.
    case saveLog(LogSaveRequest)
    /// Watch config.yaml and the themes folder, and read an edited one again.
    case watchConfig
    /// Hand the terminal to an interactive program in a container until it exits.
    case exec(ExecTarget)
}
