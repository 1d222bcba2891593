import OpsCore

/// The persistent volumes of the exported pod. The three data volumes are the ones `up` mounts
/// (same names, so data can move between the two); backup state gets its own claim as well,
/// because a Kubernetes pod is replaced on every rollout and the backup history should survive it.
public enum KubeVolume: String, CaseIterable, Sendable {
    case opencodeData = "opencode-data"
    case backupState = "backup-state"
    case falkordbData = "falkordb-data"
    case valkeyData = "valkey-data"

    /// The container that mounts the volume.
    public var role: PodmanRole {
        switch self {
        case .opencodeData, .backupState: .opencode
        case .falkordbData: .falkordb
        case .valkeyData: .valkey
        }
    }

    public var mountPath: String {
        switch self {
        case .backupState: "/var/lib/opencode-backup"
        default: BringUpPlanner.dataPaths[role] ?? "/data"
        }
    }

    /// Requested size when the operator does not choose one.
    public var defaultSize: String {
        switch self {
        case .opencodeData, .falkordbData: "5Gi"
        case .backupState, .valkeyData: "1Gi"
        }
    }

    /// Claim (and podman volume) name for a base name.
    public func claimName(base: String) -> String { "\(base)-\(rawValue)" }
}
