import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops health`: every probe once (or continuously with --watch). Exit 0 when nothing
/// fails, 1 when a probe fails, 2 when the check itself could not run (bad config or env file).
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check OpenCode, its healthcheck, FalkorDB, Valkey, Datadog, B2, Graphiti memory and backup freshness.",
        discussion: "Exit status: 0 all ok, 1 a probe is failing, 2 the check could not run."
    )

    @Flag(help: "Print JSON (one object; with --watch, one line per result).")
    var json = false

    @Flag(help: "Keep probing on each probe's interval and print every result.")
    var watch = false

    @Flag(name: .customLong("direct-db"), help: "Reach FalkorDB and Valkey over TCP at FALKORDB_HOST/PORT and VALKEY_HOST/PORT instead of with redis-cli inside the OpenCode container.")
    var directDatabases = false

    @Flag(name: .customLong("b2-authorize"), help: "Also authorize against B2 with the configured key (a network call to Backblaze).")
    var b2Authorize = false

    func run() async throws {
        let context = try ProbeCommandContext.load()
        let set = context.probeSet(directDatabases: directDatabases, b2Authorize: b2Authorize)
        let scheduler = ProbeScheduler(probes: set.probes)
        if watch { return try await watchForever(scheduler) }
        let results = await scheduler.runOnce()
        await set.close()
        if json {
            emit(try Self.encode(HealthReport(results: results)))
        } else {
            for result in results { emit(result.line) }
        }
        if results.contains(where: { $0.status.isFailure }) { throw ExitCode(1) }
    }

    private func watchForever(_ scheduler: ProbeScheduler) async throws {
        await scheduler.start()
        var histories: [ProbeID: ProbeHistory] = [:]
        for await result in scheduler.results {
            let changed = histories[result.probe, default: ProbeHistory()].record(result)
            if json {
                emit(try Self.encode(result))
            } else {
                let time = ISO8601DateFormatter.string(from: result.time, timeZone: .current, formatOptions: [.withTime, .withColonSeparatorInTime])
                emit("\(time) \(result.line)\(changed ? "  (changed)" : "")")
            }
        }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// `health --json`: the worst status and every result.
struct HealthReport: Encodable {
    var status: ProbeStatus
    var probes: [ProbeResult]

    init(results: [ProbeResult]) {
        probes = results
        status = results.map(\.status).max { $0.severity < $1.severity } ?? .unknown
    }
}
