/// Everything an operator can ask for by key or from the command palette. The raw value is the
/// name used in config's `keys:` section.
public enum Command: String, CaseIterable, Sendable {
    // The console itself.
    case help
    case quit
    case back
    case nextPanel = "next-panel"
    case previousPanel = "previous-panel"
    case focusHealth = "focus-health"
    case focusEnvironment = "focus-environment"
    case focusBackups = "focus-backups"
    case focusBuild = "focus-build"
    case moveDown = "down"
    case moveUp = "up"
    case top
    case bottom
    case pageDown = "page-down"
    case pageUp = "page-up"
    case open
    case palette
    case filter
    case cycleTheme = "cycle-theme"
    case messages
    case initSecrets = "init-secrets"
    // The pod and the image.
    case podUp = "pod-up"
    case podDown = "pod-down"
    case restartContainer = "restart-container"
    case build
    case rebuild
    case rollback
    case apply
    case cancelBuild = "cancel-build"
    case followLogs = "follow-logs"
    case timestamps
    case logSource = "log-source"
    case saveLog = "save-log"
    // Health.
    case probeNow = "probe-now"
    case healthcheckNow = "healthcheck-now"
    case authorizeB2 = "authorize-b2"
    // Backups.
    case backupNow = "backup-now"
    case restore
    case verifyBackup = "verify-backup"
    // Jobs and exports.
    case jobs
    case exportKube = "export-kube"
    // Images and disk.
    case images
    case prune
    // Resource use.
    case stats
    // Interactive programs in the pod's containers.
    case shell
    case redisCli = "redis-cli"

    public var title: String {
        switch self {
        case .help: return "Show help"
        case .quit: return "Quit"
        case .back: return "Close overlay / clear filter"
        case .nextPanel: return "Next panel"
        case .previousPanel: return "Previous panel"
        case .focusHealth: return "Go to Health"
        case .focusEnvironment: return "Go to Environment"
        case .focusBackups: return "Go to Backups"
        case .focusBuild: return "Go to Build & Logs"
        case .moveDown: return "Move down"
        case .moveUp: return "Move up"
        case .top: return "Go to top"
        case .bottom: return "Go to bottom"
        case .pageDown: return "Page down"
        case .pageUp: return "Page up"
        case .open: return "Open details of the selected row"
        case .palette: return "Command palette"
        case .filter: return "Filter the list"
        case .cycleTheme: return "Next theme"
        case .messages: return "Show messages (problems and results)"
        case .initSecrets: return "Write the secrets file (init)"
        case .podUp: return "Bring the pod up"
        case .podDown: return "Take the pod down (volumes kept)"
        case .restartContainer: return "Restart one container of the pod"
        case .build: return "Build the image"
        case .rebuild: return "Rebuild the image and replace OpenCode"
        case .rollback: return "Roll back OpenCode to the previous image"
        case .apply: return "Apply changed settings and secrets"
        case .cancelBuild: return "Cancel the running build"
        case .followLogs: return "Pause or resume following logs"
        case .timestamps: return "Show or hide log timestamps"
        case .logSource: return "Next log source (containers, build)"
        case .saveLog: return "Save the log shown to a file"
        case .probeNow: return "Run every probe now"
        case .healthcheckNow: return "Run podman's healthcheck now"
        case .authorizeB2: return "Check the B2 credentials against B2"
        case .backupNow: return "Run a backup now"
        case .restore: return "Restore the selected backup"
        case .verifyBackup: return "Verify the selected backup (test restore)"
        case .jobs: return "Show jobs and activity"
        case .exportKube: return "Export Kubernetes manifests"
        case .images: return "Show images and disk usage"
        case .prune: return "Prune old images (frees disk)"
        case .stats: return "Stats: CPU, memory, network, block I/O"
        case .shell: return "Shell in the OpenCode container (exec)"
        case .redisCli: return "redis-cli in FalkorDB or Valkey (exec)"
        }
    }

    /// Keys bound before config overrides. Commands without one are reached from the palette.
    public var defaultKeys: [Key] {
        switch self {
        case .help: return [.character("?")]
        case .quit: return [.character("q")]
        case .back: return [.escape]
        case .nextPanel: return [.tab]
        case .previousPanel: return [.backTab]
        case .focusHealth: return [.character("1")]
        case .focusEnvironment: return [.character("2")]
        case .focusBackups: return [.character("3")]
        case .focusBuild: return [.character("4")]
        case .moveDown: return [.character("j"), .down]
        case .moveUp: return [.character("k"), .up]
        case .top: return [.character("g"), .home]
        case .bottom: return [.character("G"), .end]
        case .pageDown: return [.pageDown, .control("f")]
        case .pageUp: return [.pageUp, .control("b")]
        case .open: return [.enter]
        case .palette: return [.character(":")]
        case .filter: return [.character("/")]
        case .cycleTheme: return [.character("t")]
        case .messages: return [.character("m")]
        case .initSecrets: return [.character("i")]
        case .podUp: return [.character("u")]
        case .podDown: return [.character("D")]
        case .restartContainer: return []
        case .build: return []
        case .rebuild: return [.character("b")]
        case .rollback: return []
        case .apply: return [.character("a")]
        case .cancelBuild: return [.character("x")]
        case .followLogs: return [.character("f")]
        case .timestamps: return [.character("T")]
        case .logSource: return [.character("c")]
        case .saveLog: return [.character("S")]
        case .probeNow: return [.character("r")]
        case .healthcheckNow: return [.character("h")]
        case .authorizeB2: return []
        case .backupNow: return [.character("B")]
        case .restore: return [.character("R")]
        case .verifyBackup: return [.character("V")]
        case .jobs: return [.character("J")]
        case .exportKube: return [.character("K")]
        case .images: return [.character("I")]
        case .prune: return [.character("P")]
        case .stats: return [.character("s")]
        case .shell: return [.character("e")]
        case .redisCli: return [.character("E")]
        }
    }

    /// Commands that change the pod, the image or the data: refused under `readonly`.
    public var changesSomething: Bool {
        switch self {
        case .podUp, .podDown, .restartContainer, .build, .rebuild, .rollback, .apply, .cancelBuild, .backupNow, .restore, .exportKube, .initSecrets, .prune:
            return true
        // A verify changes no data, but takes the scripts' lock (a backup meanwhile is refused).
        case .verifyBackup:
            return true
        // A shell can change anything in the container.
        case .shell, .redisCli:
            return true
        default:
            return false
        }
    }
}

extension Command {
    /// Words an operator used to k9s, lazydocker or docker types for this command, which the
    /// palette matches as well as the title.
    public var synonyms: [String] {
        switch self {
        case .restartContainer: return ["restart", "reboot"]
        case .shell: return ["shell", "exec", "sh", "bash", "attach"]
        case .redisCli: return ["exec", "redis", "cli"]
        case .podUp: return ["start", "run", "create"]
        case .podDown: return ["stop", "remove", "rm"]
        case .focusHealth: return ["stats", "status", "probes", "containers"]
        case .probeNow: return ["check", "refresh"]
        case .open: return ["inspect", "describe", "details", "view"]
        case .healthcheckNow: return ["inspect", "check"]
        case .focusBuild: return ["logs"]
        case .followLogs: return ["logs", "tail"]
        case .logSource: return ["logs", "container logs"]
        case .backupNow: return ["save", "snapshot"]
        case .restore: return ["rollback data", "load"]
        case .jobs: return ["ps", "tasks", "activity"]
        case .stats: return ["stats", "top", "resources", "usage", "cpu", "memory", "pulses"]
        default: return []
        }
    }

    /// Moving about the screen rather than doing something: the palette lists these after the
    /// actions that match as well.
    public var isNavigation: Bool {
        switch self {
        case .help, .quit, .back, .nextPanel, .previousPanel, .focusHealth, .focusEnvironment, .focusBackups,
             .focusBuild, .moveDown, .moveUp, .top, .bottom, .pageDown, .pageUp, .palette, .filter:
            return true
        default:
            return false
        }
    }
}
