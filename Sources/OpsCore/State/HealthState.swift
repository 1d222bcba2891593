import Foundation

/// What the console knows about probe results and their history, and about the OpenCode
/// container's environment as last inspected.
public struct HealthState: Equatable, Sendable {
    /// Probes in the order the panel lists them; empty until the probes start.
    public var order: [ProbeID] = []
    public var histories: [ProbeID: ProbeHistory] = [:]
    /// Probes asked to run out of turn whose result has not come back yet.
    public var pending: Set<ProbeID> = []
    /// Status changes, oldest first, bounded by `eventCapacity`.
    public var events: [HealthEvent] = []
    public var eventCapacity = 200
    /// The latest time any result carried: "ago" columns count from it, so renders are pure.
    public var now: Date?
    /// Whether the OpenCode container runs: nil until inspected, false when there is no pod.
    public var containerRunning: Bool?
    /// Where the Environment panel's defaults came from.
    public var environmentOrigin: EnvironmentOrigin = .containerfile

    public init() {}

    /// Rows the panel lists, for moving the selection.
    public var rowCount: Int { order.count }

    public func history(of id: ProbeID) -> ProbeHistory {
        histories[id] ?? ProbeHistory()
    }

    /// Records a result; a status change also goes to the event log.
    public mutating func record(_ result: ProbeResult) {
        if !order.contains(result.probe) { order.append(result.probe) }
        pending.remove(result.probe)
        let previous = histories[result.probe]?.latest?.status
        let changed = histories[result.probe, default: ProbeHistory()].record(result)
        if changed {
            events.append(HealthEvent(time: result.time, probe: result.probe, from: previous, to: result.status,
                                      reason: result.error ?? result.detail))
            if events.count > eventCapacity { events.removeFirst(events.count - eventCapacity) }
        }
        if now.map({ result.time > $0 }) ?? true { now = result.time }
    }

    /// The worst status across probes, for the panel title.
    public var worst: ProbeStatus? {
        order.compactMap { histories[$0]?.latest?.status }.max { $0.severity < $1.severity }
    }
}

/// One status change of one probe.
public struct HealthEvent: Equatable, Sendable {
    public var time: Date
    public var probe: ProbeID
    /// Nil for a probe's first result.
    public var from: ProbeStatus?
    public var to: ProbeStatus
    /// The result's error or detail: never a secret (probes keep those out of results).
    public var reason: String

    public init(time: Date, probe: ProbeID, from: ProbeStatus?, to: ProbeStatus, reason: String) {
        self.time = time
        self.probe = probe
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// Where the Environment panel's image defaults were read from.
public enum EnvironmentOrigin: Equatable, Sendable {
    /// `podman image inspect` of the configured image.
    case image(String)
    /// The Containerfile parse, because the image is not built (or podman could not say).
    case containerfile
}

extension ProbeID {
    /// The name the panel shows.
    public var title: String {
        switch self {
        case .opencode: return "OpenCode HTTP"
        case .podmanHealth: return "Healthcheck"
        case .falkordb: return "FalkorDB"
        case .valkey: return "Valkey"
        case .datadog: return "Datadog agent"
        case .b2: return "B2 credentials"
        case .b2Authorize: return "B2 authorize"
        case .graphiti: return "Graphiti memory"
        case .backupFreshness: return "Backup age"
        default: return rawValue
        }
    }
}
