import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `backup show ID`: one run's record and its log.
struct BackupShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one run: its status record and log."
    )

    @Argument(help: "Run id (from `backup list`).")
    var id: String

    @OptionGroup var options: BackupTargetOptions

    func run() async throws {
        let (client, target, _) = try await options.resolve()
        do {
            if options.json {
                emit(try await client.statusJSON(container: target.container, runID: id))
                return
            }
            let record = try await client.status(container: target.container, runID: id)
            emit("\(record.kind.rawValue) \(record.id): \(record.result.rawValue)" + (record.result == .running ? ", \(BackupFormat.progressLine(record))" : ""))
            emit("trigger:  \(record.trigger)")
            emit("started:  \(record.startedAt)")
            if let ended = record.endedAt { emit("ended:    \(ended)") }
            if let remote = record.remote { emit("remote:   \(remote)") }
            if let bytes = record.archive?.bytes { emit("archive:  \(BackupFormat.bytes(bytes))\(record.verified ? ", verified" : "")") }
            if let check = record.verification {
                let detail = check.hash.map { " (\(check.of ?? "archive") \(check.hashType ?? "hash") \($0))" } ?? ""
                emit("verified: \(check.level)\(detail)")
            }
            if let encrypted = record.encrypted, record.kind == .backup {
                emit("stored:   \(encrypted ? "encrypted (rclone crypt)" : "not encrypted (BACKUP_PASSWORD unset)")")
            }
            if record.kind == .verify {
                if let backupID = record.backupID { emit("backup:   \(backupID)") }
                if let checked = record.checked { emit("checked:  \(BackupFormat.verifyCounts(checked)), \(checked.failed) failed") }
            }
            if let error = record.error {
                let phase = record.failedPhase.map { " in \($0)" } ?? ""
                emit("error:    \(record.errorKind ?? "failed")\(phase): \(error)")
            }
            emit("log:")
            for line in try await client.log(container: target.container, runID: id) { emit("  " + line) }
        } catch {
            throw backupFailure(error)
        }
    }
}
