import Foundation

/// Recent results of one probe, oldest first, bounded so a long-running console stays small.
public struct ProbeHistory: Equatable, Sendable {
    public let capacity: Int
    public private(set) var results: [ProbeResult] = []
    /// When the status last differed from the one before; the first result counts as a change.
    public private(set) var lastChange: Date?

    public init(capacity: Int = 60) {
        precondition(capacity > 0, "history capacity must be positive")
        self.capacity = capacity
    }

    public var latest: ProbeResult? { results.last }
    public var status: ProbeStatus { latest?.status ?? .unknown }

    /// Latencies for a sparkline, oldest first; runs without a latency count as zero so the
    /// line keeps one point per run.
    public var latencies: [Double] { results.map { $0.latency ?? 0 } }

    /// Adds a result and says whether the status changed (the event log wants those).
    @discardableResult
    public mutating func record(_ result: ProbeResult) -> Bool {
        let changed = latest?.status != result.status
        if changed { lastChange = result.time }
        results.append(result)
        if results.count > capacity { results.removeFirst(results.count - capacity) }
        return changed
    }
}
