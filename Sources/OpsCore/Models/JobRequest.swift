/// A request to start a detached job: its kind and what it works on.
public struct JobRequest: Equatable, Sendable {
    public var kind: JobKind
    /// What the job works on, recorded in its status: the backup a restore or verify reads, the
    /// image an image job makes or runs.
    public var target: JobTarget?
    /// Wait for a backup or restore running in the OpenCode container instead of refusing.
    public var waits: Bool

    public init(kind: JobKind, target: JobTarget? = nil, waits: Bool = false) {
        self.kind = kind
        self.target = target
        self.waits = waits
    }

    /// What the audit log names: the backup, else the lock group.
    public var auditTarget: String { target?.backupID ?? kind.lockName }

    public var arguments: [String] {
        kind.arguments(target: target?.backupID) + (waits && kind.waitsForBackups ? ["--wait"] : [])
    }
}
