/// The long operations that run detached from the console, outliving its SSH session.
public enum JobKind: String, Codable, CaseIterable, Sendable {
    case build
    case rebuild
    case rollback
    case backup
    case restore

    /// Jobs that would trample each other share a lock: two builds (or a build and a rebuild)
    /// fight over the image tag, a backup and a restore over the data.
    public var lockName: String {
        switch self {
        case .build, .rebuild, .rollback: return "image"
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
        }
    }
}
