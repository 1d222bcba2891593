import Foundation

/// Everything that can change the state: input from the terminal and results of effects.
public enum Action: Sendable {
    /// The console has opened: its watches and clocks start.
    case opened
    case key(Key)
    case resize(width: Int, height: Int)
    case run(Command)
    case focus(Panel)
    /// The mouse wheel over `panel` (nil: over no panel); negative `lines` scroll up.
    case scroll(Panel?, lines: Int)
    case themeLoaded(Theme, problems: [String])
    /// config.yaml was edited and read again: the settings as read, or the problems that keep
    /// the running ones.
    case settingsReloaded(Settings, problems: [String])
    /// A file in the themes folder was edited: the current theme is read again.
    case themeFilesChanged
    case message(String, level: MessageLevel = .info)
    /// The console's clock: sent as the run loop wakes, and by the `.wake` effect when the footer's
    /// message is due to go. Messages added after it carry its time.
    case tick(Date)
    /// SIGINT, SIGTERM or SIGHUP: leave now, restoring the terminal.
    case terminate
    case pod(PodAction)
    case build(BuildAction)
    case health(HealthAction)
    case backups(BackupsAction)
    case jobs(JobsAction)
    case images(ImagesAction)
    case stats(StatsAction)
}
