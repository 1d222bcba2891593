import Foundation
import OpsCore

/// Runs a probe body under its timeout and stamps latency and time on the result, so each
/// probe only decides status and words.
func timedCheck(
    _ id: ProbeID, timeout: Double, _ body: @escaping @Sendable () async -> ProbeOutcome
) async -> ProbeResult {
    let start = ContinuousClock.now
    let outcome = await withDeadline(seconds: timeout, operation: body) {
        ProbeOutcome(.failing, error: "timed out after \(formatSeconds(timeout))")
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return ProbeResult(
        probe: id, status: outcome.status, latency: outcome.measured ? seconds : nil,
        detail: outcome.detail, error: outcome.error, time: Date()
    )
}

/// What a probe body decided; `timedCheck` turns it into a `ProbeResult`.
struct ProbeOutcome: Sendable {
    var status: ProbeStatus
    var detail: String
    var error: String?
    /// False when nothing was contacted (not configured), so no latency is reported.
    var measured: Bool

    init(_ status: ProbeStatus, detail: String = "", error: String? = nil, measured: Bool = true) {
        self.status = status
        self.detail = detail
        self.error = error
        self.measured = measured
    }
}

/// Reads a value from the effective environment, treating empty as unset (as env files do).
extension Dictionary where Key == String, Value == String {
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }
}
