import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `backup verify ID`: reads the backup back from the remote, checks every member against its
/// manifest and test-restores the databases into scratch space in the container (`verify ID`
/// there). The console runs it as a detached job (`V`); here it runs in the foreground.
struct BackupVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Read a backup back and test-restore it into scratch space (changes nothing live)."
    )

    @Argument(help: "Backup id (from `backup list`).")
    var id: String

    @OptionGroup var options: BackupTargetOptions

    @OptionGroup var readonly: ReadonlyOption

    struct Report: Encodable {
        var id: String?
        var backupId: String
        var result: String
        var exitCode: Int?
        var error: String?
        var errorKind: String?
        var checked: BackupVerifyCounts?
    }

    func run() async throws {
        // It takes the scripts' lock (a backup meanwhile is refused): refused under read-only.
        try readonly.requireWritable("backup verify", context: PodmanCommandContext.load(), target: id)
        let (client, target, _) = try await options.resolve()
        try await CommandAudit.run("verify", target: id) { try await verify(client, target) }
    }

    private func verify(_ client: BackupClient, _ target: BackupTarget) async throws {
        var last: BackupRunRecord?
        var lastLine = ""
        do {
            for try await record in client.verify(container: target.container, backupID: id) {
                last = record
                guard !options.json, record.result == .running else { continue }
                let line = BackupFormat.progressLine(record)
                if line != lastLine { emit(line) }
                lastLine = line
            }
        } catch {
            throw backupFailure((error as? BackupClientError) ?? BackupClientError(message: "\(error)"))
        }
        let passed = last?.result == .succeeded
        let report = Report(
            id: last?.id, backupId: id, result: last?.result.rawValue ?? "failed", exitCode: last?.exitCode,
            error: last?.error, errorKind: last?.errorKind, checked: last?.checked
        )
        emitEvent(.verifyEnded(
            backupID: id, summary: passed ? last?.checked.map(BackupFormat.verifyCounts) : nil,
            problem: passed ? nil : report.error ?? "no reason recorded"
        ))
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            emit(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else if passed {
            emit("verify of \(id) passed" + (last?.checked.map { ": " + BackupFormat.verifyCounts($0) } ?? ""))
        } else {
            emit("verify of \(id) FAILED: \(report.error ?? "no reason recorded")")
        }
        if !passed { throw ExitCode(Int32(last?.exitCode.flatMap { $0 > 0 ? $0 : nil } ?? 1)) }
    }
}
