import OpsCore

/// One health check. Every probe (HTTP, RESP, podman healthcheck, B2) conforms, so the scheduler
/// treats them alike. `check` should honour `schedule.timeout` itself where it can; the
/// scheduler enforces it too, so a probe that hangs is reported as failing and never blocks.
public protocol Probe: Sendable {
    var id: ProbeID { get }
    var schedule: ProbeSchedule { get }
    /// Runs the check once. Errors are part of the result, not thrown.
    func check() async -> ProbeResult
}
