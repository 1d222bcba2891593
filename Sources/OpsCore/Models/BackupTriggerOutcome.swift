/// What `backup --detach --json` answered: started, or refused because a run holds the lock.
public enum BackupTriggerOutcome: Equatable, Sendable {
    case started(id: String)
    /// Exit 9: `runningID` holds the lock; `message` is the script's own sentence.
    case busy(runningID: String?, message: String)
    case failed(exitCode: Int, message: String)
}

/// Where the backups live in the pod: the OpenCode container that runs the scripts, and the
/// sidecar containers a restore loads RDB files into.
public struct BackupTarget: Equatable, Sendable {
    public var container: String
    public var falkordb: String
    public var valkey: String

    public init(container: String, falkordb: String, valkey: String) {
        self.container = container
        self.falkordb = falkordb
        self.valkey = valkey
    }

    /// The container for a sidecar service named in a restore's pending actions.
    public func sidecar(for service: String) -> String? {
        switch service {
        case "falkordb": falkordb
        case "valkey": valkey
        default: nil
        }
    }
}

/// Result of loading one RDB file into its sidecar.
public struct BackupSidecarLoad: Equatable, Sendable {
    public var service: String
    public var succeeded: Bool
    /// `DBSIZE` after the restart, or the reason it failed.
    public var detail: String

    public init(service: String, succeeded: Bool, detail: String) {
        self.service = service
        self.succeeded = succeeded
        self.detail = detail
    }
}
