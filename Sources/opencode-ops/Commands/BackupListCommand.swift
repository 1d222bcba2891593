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
            var shortId: String
            var verification: String?
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

        /// `pod`, `one-off container` (the pod is down) or `cache` (nor could a container list it).
        var source: String
        var cachedAt: String?
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
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        switch try await options.resolve(context) {
        case .running(let client, let target):
            try await list(client, target)
        case .down(let reason):
            try await listWithoutPod(context, reason: reason)
        }
    }

    /// The pod is down: a one-off container of the image lists the remote, else the console's
    /// cached listing does, marked as such.
    private func listWithoutPod(_ context: PodmanCommandContext, reason: String) async throws {
        let cache = BackupListingCache(stateDirectory: context.paths.stateDirectory, pod: context.settings.pod)
        var source = "one-off container"
        var cachedAt: String?
        var listingError: String?
        let listing: BackupListing
        do {
            let (listed, line) = try await BackupOfflineLister(deployer: context.deployer).listing()
            cache.save(line, at: Date())
            listing = listed
        } catch {
            guard let cached = cache.load() else {
                printError("error: no pod running (\(reason)), and a one-off container could not list the remote: \(error.message)")
                throw ExitCode(1)
            }
            listing = cached.listing
            source = "cache"
            cachedAt = ISO8601DateFormatter().string(from: cached.savedAt)
            listingError = error.message
        }
        if !options.json {
            emit("pod down (\(reason)): " + (cachedAt.map { "cached listing from \($0)" } ?? "listed by a one-off container of the image"))
        }
        try report(runs: [], listing: listing, listingError: listingError, schedule: nil, source: source, cachedAt: cachedAt)
    }

    private func list(_ client: BackupClient, _ target: BackupTarget) async throws {
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
        try report(runs: runs, listing: listing, listingError: listingError, schedule: schedule, source: "pod", cachedAt: nil)
    }

    private func report(
        runs: [BackupRunRecord], listing: BackupListing?, listingError: String?, schedule: String?, source: String, cachedAt: String?
    ) throws {
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
            source: source, cachedAt: cachedAt,
            remote: listing?.remote ?? runs.compactMap(\.remote).first, schedule: schedule,
            freshness: Report.Freshness(
                status: fresh.probeStatus.rawValue, lastGoodAt: fresh.lastGood.map { ISO8601DateFormatter().string(from: $0) },
                ageSeconds: fresh.age.map { Int($0) }, limitSeconds: Int(fresh.limit), failure: fresh.isFailure,
                text: fresh.line, limit: fresh.limitReason
            ),
            nextRun: next.map(BackupFormat.shortTime), listingError: listingError,
            encrypted: listing?.encrypted, warnings: listing?.warnings ?? [], drill: listing?.drill,
            backups: rows.map {
                Report.Row(id: $0.id, kind: $0.kind.rawValue, startedAt: $0.startedAt, trigger: $0.trigger, state: $0.stateWord,
                           bytes: $0.bytes, error: $0.error, restorable: $0.isRestorable, backupId: $0.backupID,
                           shortId: $0.shortID, verification: $0.verification,
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
