/// One container apply recreates, and why: variable names only, never values.
public struct PodmanApplyChange: Equatable, Sendable {
    public var role: PodmanRole
    public var container: String
    public var reasons: [String]

    public init(role: PodmanRole, container: String, reasons: [String]) {
        self.role = role
        self.container = container
        self.reasons = reasons
    }

    /// `opencode-opencode: variables changed: A, B; volume x-backup-state added`.
    public var line: String { "\(container): \(reasons.joined(separator: "; "))" }
}

/// What apply would do now: the containers whose image, settings or environment differ from
/// what runs. Empty when everything matches.
public struct PodmanApplyPlan: Equatable, Sendable {
    public var pod: String
    public var changes: [PodmanApplyChange]

    public init(pod: String, changes: [PodmanApplyChange]) {
        self.pod = pod
        self.changes = changes
    }

    public var isEmpty: Bool { changes.isEmpty }

    public var unchangedMessage: String { "nothing to apply: every container of pod \(pod) runs as the settings say" }
}

/// How an apply ended.
public enum PodmanApplyOutcome: Equatable, Sendable {
    /// Nothing differed; nothing was touched.
    case unchanged
    /// Every changed container was recreated and is healthy (or runs, without a health check).
    case applied(containers: [String])
    /// `container` did not become healthy: it was put back as it was; `applied` were recreated
    /// before it and stay.
    case rolledBack(container: String, reason: String, applied: [String])
}
