/// A request to start a detached job: its kind and, for restores, the backup it restores.
public struct JobRequest: Equatable, Sendable {
    public var kind: JobKind
    public var target: String?

    public init(kind: JobKind, target: String? = nil) {
        self.kind = kind
        self.target = target
    }

    public var arguments: [String] { kind.arguments(target: target) }
}
