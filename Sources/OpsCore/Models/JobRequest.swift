/// A request to start a detached job: its kind and, for restores and verifies, the backup.
public struct JobRequest: Equatable, Sendable {
    public var kind: JobKind
    public var target: String?
    /// Wait for a backup or restore running in the OpenCode container instead of refusing.
    public var waits: Bool

    public init(kind: JobKind, target: String? = nil, waits: Bool = false) {
        self.kind = kind
        self.target = target
        self.waits = waits
    }

    public var arguments: [String] { kind.arguments(target: target) + (waits && kind.waitsForBackups ? ["--wait"] : []) }
}
