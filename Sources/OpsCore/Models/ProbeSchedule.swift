/// How often a probe runs and how long one run may take.
public struct ProbeSchedule: Equatable, Sendable, Codable {
    /// Seconds between the end of one run and the start of the next; nil runs only on demand.
    public var interval: Double?
    /// Seconds one run may take before it is reported as failing.
    public var timeout: Double

    public init(interval: Double?, timeout: Double) {
        self.interval = interval
        self.timeout = timeout
    }

    /// Defaults for cheap local checks.
    public static let standard = ProbeSchedule(interval: 10, timeout: 3)
    /// Checks that cost money or talk to remote services run only when asked.
    public static let onDemand = ProbeSchedule(interval: nil, timeout: 15)
}
