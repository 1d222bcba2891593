/// The state a probe reports. "Not configured" is its own state: an absent optional service is
/// not a failure.
public enum ProbeStatus: String, Sendable, Codable, CaseIterable {
    case ok
    case degraded
    case failing
    case unknown
    case notConfigured = "not configured"

    /// Whether `health` should count this as a failure (exit 1).
    public var isFailure: Bool { self == .failing }

    /// Severity for picking the worst of several statuses; higher is worse.
    public var severity: Int {
        switch self {
        case .ok, .notConfigured: return 0
        case .unknown: return 1
        case .degraded: return 2
        case .failing: return 3
        }
    }
}
