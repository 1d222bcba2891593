/// The long operations that run detached from the console, outliving its SSH session.
public enum JobKind: String, Codable, CaseIterable, Sendable {
    case build
    case rebuild
    case rollback
    case backup
    case restore
    case apply

    /// Jobs that would trample each other share a lock: two builds (or a build and a rebuild)
    /// fight over the image tag, a backup and a restore over the data.
    public var lockName: String {
        switch self {
        case .build, .rebuild, .rollback, .apply: return "image"
        case .backup, .restore: return "data"
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
        case .apply: return ["apply"]
        }
    }

    /// Jobs that replace the OpenCode container: a backup started meanwhile would be killed.
    public var replacesContainers: Bool {
        switch self {
        case .rebuild, .rollback, .apply: return true
        case .build, .backup, .restore: return false
        }
    }

    /// Jobs that refuse while a backup or restore runs in the OpenCode container, and can wait.
    public var waitsForBackups: Bool {
        switch self {
        case .rebuild, .rollback, .apply, .restore: return true
        case .build, .backup: return false
        }
    }
}
