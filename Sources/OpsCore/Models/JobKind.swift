/// The long operations that run detached from the console, outliving its SSH session.
public enum JobKind: String, Codable, CaseIterable, Sendable {
    case build
    case rebuild
    case rollback
    case backup
    case restore
    /// Reads a backup back and test-restores it into scratch space in the container.
    case verify
    case apply

    /// Jobs that would trample each other share a lock: two builds (or a build and a rebuild)
    /// fight over the image tag, a backup, a restore and a verify over the data (the scripts'
    /// lock refuses a second one anyway).
    public var lockName: String {
        switch self {
        case .build, .rebuild, .rollback, .apply: return "image"
        case .backup, .restore, .verify: return "data"
        }
    }

    /// The subcommand (of this same program) the job runs.
    public func arguments(target: String? = nil) -> [String] {
        switch self {
        case .build: return ["build"]
        case .rebuild: return ["rebuild"]
        case .rollback: return ["rebuild", "--rollback"]
        case .backup: return ["backup", "run"]
        case .restore: return ["backup", "restore", target ?? "", "--yes"]
        case .verify: return ["backup", "verify", target ?? ""]
        case .apply: return ["apply"]
        }
    }

    /// Jobs that replace the OpenCode container: a backup started meanwhile would be killed.
    public var replacesContainers: Bool {
        switch self {
        case .rebuild, .rollback, .apply: return true
        case .build, .backup, .restore, .verify: return false
        }
    }

    /// Jobs that refuse while a backup or restore runs in the OpenCode container, and can wait.
    public var waitsForBackups: Bool {
        switch self {
        case .rebuild, .rollback, .apply, .restore: return true
        case .build, .backup, .verify: return false
        }
    }
}
