/// The named volumes `up` creates for a pod: one data volume per container, plus the backup
/// scripts' state (run records and logs) in the OpenCode container, so backup history outlives
/// every replacement of that container.
public enum PodmanVolumes {
    /// Where the backup scripts keep their state (`BACKUP_STATE_DIR` in the image).
    public static let backupStatePath = "/var/lib/opencode-backup"

    public static func data(pod: String, role: PodmanRole) -> String { "\(pod)-\(role.rawValue)-data" }

    public static func backupState(pod: String) -> String { "\(pod)-backup-state" }

    /// Every volume of the pod, data volumes first.
    public static func all(pod: String) -> [String] {
        PodmanRole.allCases.map { data(pod: pod, role: $0) } + [backupState(pod: pod)]
    }
}
