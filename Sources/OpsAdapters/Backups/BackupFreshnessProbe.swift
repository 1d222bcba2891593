import Foundation
import OpsCore

/// Is the last good backup recent enough? Reads the run history and `BACKUP_SCHEDULE` in the
/// OpenCode container (two `podman exec`s, nothing remote) and judges with `BackupFreshness`:
/// older than twice the schedule's interval, or 36 h without a schedule, is failing.
public struct BackupFreshnessProbe: Probe {
    public let id: ProbeID = .backupFreshness
    public var schedule: ProbeSchedule
    let client: BackupClient
    let container: String
    /// Whether the environment names a remote (B2 settings or `BACKUP_REMOTE`): without one and
    /// without any run, backups are simply not set up.
    let configured: Bool
    let clock: @Sendable () -> Date

    public init(client: BackupClient, container: String, environment: [String: String],
                schedule: ProbeSchedule = ProbeSchedule(interval: 60, timeout: 20),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.container = container
        self.schedule = schedule
        self.clock = clock
        configured = B2Settings(environment: environment).missing.isEmpty || environment.nonEmpty("BACKUP_REMOTE") != nil
    }

    public func check() async -> ProbeResult {
        let probe = self
        return await timedCheck(id, timeout: schedule.timeout) { await probe.evaluate() }
    }

    private func evaluate() async -> ProbeOutcome {
        let runs: [BackupRunRecord]
        do {
            runs = try await client.runs(container: container)
        } catch {
            return ProbeOutcome(.unknown, error: "cannot read the backup history: \(error.message)")
        }
        let expression: String?
        do {
            expression = try await client.schedule(container: container)
        } catch {
            return ProbeOutcome(.unknown, error: "cannot read BACKUP_SCHEDULE: \(error.message)")
        }
        let now = clock()
        if runs.isEmpty && !configured {
            return ProbeOutcome(.notConfigured, detail: "no B2 settings and no BACKUP_REMOTE: backups are off", measured: false)
        }
        let interval = expression.flatMap { BackupCronSchedule($0) }?.longestInterval(after: now)
        let freshness = BackupFreshness.evaluate(
            lastGood: BackupFreshness.lastGood(runs: runs, listing: nil), attempted: BackupFreshness.attempted(runs: runs),
            interval: interval, now: now
        )
        return Self.outcome(freshness)
    }

    static func outcome(_ freshness: BackupFreshness) -> ProbeOutcome {
        ProbeOutcome(freshness.probeStatus, detail: freshness.probeDetail, error: freshness.probeError)
    }
}
