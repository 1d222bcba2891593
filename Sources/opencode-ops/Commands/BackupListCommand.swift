import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `backup list`: the history the Backups panel shows (run records merged with the remote listing).
struct BackupListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List backups: local runs and the remote, newest first, with verification state."
    )

    @OptionGroup var options: BackupTargetOptions

    struct Report: Encodable {
        struct Row: Encodable {
            var id: String
            var kind: String
            var startedAt: String
            var trigger: String?
            var state: String
            var bytes: Int?
            var error: String?
            var restorable: Bool
            var backupId: String?
            /// The newest verify of this backup recorded in the container.
            var lastVerify: BackupVerifySummary?
        }

        struct Freshness: Encodable {
            var status: String
            var lastGoodAt: String?
            var ageSeconds: Int?
            var limitSeconds: Int
            var failure: Bool
            var text: String
            var limit: String
        }

        var remote: String?
        var schedule: String?
        var freshness: Freshness
        var nextRun: String?
        var listingError: String?
        var encrypted: Bool?
        var warnings: [String]
        /// `BACKUP_VERIFY_SCHEDULE`, the last drill and the last verify, with their ages.
        var drill: BackupDrillReport?
        var backups: [Row]
    }

    func run() async throws {
        let (client, target, _) = try await options.resolve()
        let runs: [BackupRunRecord]
        do {
            runs = try await client.runs(container: target.container)
        } catch {
            throw backupFailure(error)
        }
        var listing: BackupListing?
        var listingError: String?
        do {
            listing = try await client.listing(container: target.container)
        } catch {
            listingError = error.message
        }
        let schedule: String? = (try? await client.schedule(container: target.container)) ?? nil
        let cron = schedule.flatMap { BackupCronSchedule($0) }
        let now = Date()
        let next = cron?.nextRun(after: now)
        let rows = BackupHistoryRow.merge(runs: runs, listing: listing?.backups)
        let verifies = Dictionary((listing?.backups ?? []).map { ($0.id, $0.lastVerify) }, uniquingKeysWith: { first, _ in first })
        let fresh = BackupFreshness.evaluate(
            lastGood: BackupFreshness.lastGood(runs: runs, listing: listing?.backups), attempted: BackupFreshness.attempted(runs: runs),
            interval: cron?.longestInterval(after: now), now: now
        )
        let report = Report(
            remote: listing?.remote ?? runs.compactMap(\.remote).first, schedule: schedule,
            freshness: Report.Freshness(
                status: fresh.probeStatus.rawValue, lastGoodAt: fresh.lastGood.map { ISO8601DateFormatter().string(from: $0) },
                ageSeconds: fresh.age.map { Int($0) }, limitSeconds: Int(fresh.limit), failure: fresh.isFailure,
                text: fresh.line, limit: fresh.limitReason
            ),
            nextRun: next.map(BackupFormat.shortTime), listingError: listingError,
            encrypted: listing?.encrypted, warnings: listing?.warnings ?? [], drill: listing?.drill,
            backups: rows.map {
                Report.Row(id: $0.id, kind: $0.kind.rawValue, startedAt: $0.startedAt, trigger: $0.trigger, state: $0.statusWord,
                           bytes: $0.bytes, error: $0.error, restorable: $0.isRestorable, backupId: $0.backupID,
                           lastVerify: $0.kind == .backup ? verifies[$0.id] ?? nil : nil)
            }
        )
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            emit(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            emit("remote:   \(report.remote ?? "unknown")")
            let when = report.nextRun ?? (cron?.runsOnlyAtStart == true ? "at container start" : "?")
            emit("schedule: \(report.schedule.map { "\($0), next \(when)" } ?? "none (manual backups only)")")
            emit("fresh:    \(fresh.isFailure ? "FAILURE: " : "")\(fresh.line) (\(fresh.limitReason))")
            if let listingError { emit("warning: remote listing failed: \(listingError)") }
            for warning in report.warnings { emit("warning: \(warning)") }
            if listing != nil { emit("drills:   \(BackupFormat.drillLine(report.drill))") }
            if rows.isEmpty { emit("no backups yet") }
            for row in rows {
                let size = row.bytes.map(BackupFormat.bytes) ?? "-"
                let trigger = row.trigger ?? "-"
                emit("\(row.id.padding(toLength: 30, withPad: " ", startingAt: 0)) \(row.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(trigger.padding(toLength: 10, withPad: " ", startingAt: 0)) \(row.statusWord.padding(toLength: 22, withPad: " ", startingAt: 0)) \(size)")
            }
        }
    }
}
