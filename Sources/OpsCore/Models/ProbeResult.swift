import Foundation

/// One run of one probe. `detail` and `error` are shown to the operator, so adapters must never
/// put secrets or response bodies that may hold secrets into them.
public struct ProbeResult: Equatable, Sendable, Codable {
    public var probe: ProbeID
    public var status: ProbeStatus
    /// Seconds the check took; nil when it did not reach the service (not configured).
    public var latency: Double?
    /// Short human text: "HTTP 200 /global/health", "PONG, graph module loaded".
    public var detail: String
    /// Why the check failed, when it did.
    public var error: String?
    /// When the run finished (the adapter that ran it stamps it: OpsCore reads no clock).
    public var time: Date

    public init(
        probe: ProbeID, status: ProbeStatus, latency: Double? = nil, detail: String = "",
        error: String? = nil, time: Date
    ) {
        self.probe = probe
        self.status = status
        self.latency = latency
        self.detail = detail
        self.error = error
        self.time = time
    }
}
