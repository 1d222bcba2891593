import Foundation
import OpsCore

/// The OpenCode container's own healthcheck as a probe: `State.Health` (status, failing streak,
/// last output) from inspect on the schedule, and `podman healthcheck run` when asked.
public struct PodmanHealthProbe: Probe {
    public let id: ProbeID = .podmanHealth
    public var schedule: ProbeSchedule
    public let inspection: ContainerInspection

    /// Every 30 s, the image's HEALTHCHECK interval: reading its verdict more often shows nothing
    /// new, and each read is a podman process (about 0.06 s of CPU).
    public init(inspection: ContainerInspection, schedule: ProbeSchedule = ProbeSchedule(interval: 30, timeout: 5)) {
        self.inspection = inspection
        self.schedule = schedule
    }

    /// Reads `State.Health` with a fresh inspect (the environment view reads the same one).
    /// Podman runs healthchecks from systemd timers; where there is no systemd the log goes
    /// stale, and then the probe runs the check itself so the status stays true.
    public func check() async -> ProbeResult {
        let inspection = inspection
        let started = Date()
        var result = await timedCheck(id, timeout: schedule.timeout) {
            Self.outcome(await inspection.fresh(), container: inspection.container)
        }
        if case .success(let snapshot?) = await inspection.value(), Self.isStale(snapshot, now: Date()) {
            result = await runHealthcheck(timeout: schedule.timeout)
            result.detail += " (no healthcheck timer: ran it)"
            result.latency = Date().timeIntervalSince(started)
        }
        return result
    }

    /// True when a running container's healthcheck has not run for two of its intervals.
    static func isStale(_ snapshot: ContainerInspection.Snapshot, now: Date) -> Bool {
        guard snapshot.container.state == .running, snapshot.container.health.status != .none,
              let interval = snapshot.healthcheckInterval, interval > 0 else { return false }
        guard let last = snapshot.lastHealthcheck else {
            // Never run: stale once the container has been up for two intervals.
            return snapshot.container.startedAt.map { now.timeIntervalSince($0) > interval * 2 + 1 } ?? true
        }
        return now.timeIntervalSince(last) > interval * 2 + 1
    }

    /// Runs the container's healthcheck now (`podman healthcheck run`), then reads the state it
    /// left: exit 0 healthy, 1 unhealthy or starting, 125 no such container or no healthcheck.
    public func runHealthcheck(timeout: Double = 30) async -> ProbeResult {
        let inspection = inspection
        return await timedCheck(id, timeout: timeout) {
            let run: ProcessResult
            do {
                run = try await inspection.client.run(["healthcheck", "run", "--", inspection.container])
            } catch {
                return ProbeOutcome(.failing, error: "podman: \((error as? PodmanFailure)?.message ?? "\(error)")")
            }
            var outcome = Self.outcome(await inspection.fresh(), container: inspection.container)
            let said = [run.stdoutText, run.stderrText].joined(separator: " ")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            switch run.exitCode {
            case 0:
                outcome.detail = "healthcheck run: healthy" + (outcome.detail.isEmpty ? "" : "; \(outcome.detail)")
            case 1:
                outcome.detail = "healthcheck run: \(said.isEmpty ? "unhealthy" : String(said.prefix(120)))"
                if outcome.status == .ok { outcome.status = .failing }
            default:
                outcome.detail = "healthcheck run: exit \(run.exitCode)"
                if outcome.error == nil {
                    outcome.error = PodmanClient.lastErrorLine(run.stderrText) ?? "podman healthcheck run failed"
                }
            }
            return outcome
        }
    }

    static func outcome(_ inspected: ContainerInspection.Outcome, container: String) -> ProbeOutcome {
        let snapshot: ContainerInspection.Snapshot
        switch inspected {
        case .failure(let message):
            return ProbeOutcome(.unknown, error: message)
        case .success(nil):
            return ProbeOutcome(.failing, detail: "no pod running", error: "container \(container) does not exist")
        case .success(let found?):
            snapshot = found
        }
        let state = snapshot.container.state
        guard state == .running else {
            return ProbeOutcome(.failing, detail: state.text, error: "container \(container) is \(state.text)")
        }
        let health = snapshot.container.health
        let streak = health.failingStreak > 0 ? ", failing streak \(health.failingStreak)" : ""
        let lastOutput = health.lastOutput.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        switch health.status {
        case .healthy:
            return ProbeOutcome(.ok, detail: "healthy\(streak)")
        case .starting:
            return ProbeOutcome(.degraded, detail: "starting\(streak)")
        case .unhealthy:
            return ProbeOutcome(.failing, detail: "unhealthy\(streak)",
                                error: lastOutput.map { "last check: \($0)" } ?? "healthcheck failing")
        case .none:
            return ProbeOutcome(.notConfigured, detail: "running; the image has no HEALTHCHECK")
        }
    }
}
