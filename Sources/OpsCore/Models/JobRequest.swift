/// A request to start a detached job: its kind and, for restores and verifies, the backup.
public struct JobRequest: Equatable, Sendable {
    public var kind: JobKind
    public var target: String?
    /// Wait for a backup or restore running in the OpenCode container instead of refusing.
    public var waits: Bool
    /// The image an image job makes or runs, recorded in its status.
    public var image: String?

    public init(kind: JobKind, target: String? = nil, waits: Bool = false, image: String? = nil) {
        self.kind = kind
        self.target = target
        self.waits = waits
        self.image = image
    }

    /// The target its status records: the backup of a restore or verify, else the image.
    public var jobTarget: JobTarget? {
        switch kind {
        case .restore, .verify: return target.map { .backup(id: $0) }
        case .build, .rebuild, .rollback, .apply: return image.map { .image(tag: $0) }
        case .backup: return nil
        }
    }

    public var arguments: [String] { kind.arguments(target: target) + (waits && kind.waitsForBackups ? ["--wait"] : []) }
}
