import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops audit`: who changed what, from where, and how it ended.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Print the audit log (every action that changed something)."
    )

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Option(name: .long, help: "Only the newest N entries.")
    var last: Int?

    func run() async throws {
        let log = JobAuditLog(stateDirectory: AppPaths.current().stateDirectory)
        let entries = log.entries(limit: last ?? .max)
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            emit(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        if entries.isEmpty { emit("no audit entries yet (\(log.path))") }
        for entry in entries {
                        emit("\(JobTable.time(entry.time))  \(entry.who)  \(entry.action) \(entry.target): \(entry.result)")
        }
    }
}
