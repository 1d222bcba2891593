import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `backup restore ID`: shows what will be overwritten; with `--yes`, restores and loads the
/// RDB files into the sidecars (stop, copy into the data volume, start), as the console does.
struct BackupRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a verified backup (prints the plan; --yes to do it)."
    )

    @Argument(help: "Backup id (from `backup list`).")
    var id: String

    @Flag(name: .long, help: "Restore without asking: the plan is printed, then carried out.")
    var yes = false

    @OptionGroup var options: BackupTargetOptions

    @OptionGroup var waitOption: WaitOption

    @OptionGroup var readonly: ReadonlyOption

    struct Report: Encodable {
        struct Load: Encodable {
            var service: String
            var succeeded: Bool
            var detail: String
        }

        var id: String
        var result: String
        var exitCode: Int?
        var error: String?
        var overwrites: [String]
        var sidecars: [Load]
    }

    func run() async throws {
        // Refused before looking for the pod: read-only says no whatever the pod's state.
        try readonly.requireWritable("backup restore", context: PodmanCommandContext.load(), target: id)
        let (client, target, context) = try await options.resolve()
        // Printing the plan changes nothing: only a restore with --yes is audited.
        guard yes else { return try await restore(client, target, context) }
        try await CommandGuard.requireNoReplacement("restore", context: context, wait: waitOption.wait, target: id)
        try await CommandGuard.requireNoBackup("restore", context: context, wait: waitOption.wait, target: id, container: target.container)
        try await CommandAudit.run("restore", target: id) { try await restore(client, target, context) }
    }

    private func restore(_ client: BackupClient, _ target: BackupTarget, _ context: PodmanCommandContext) async throws {
        let plan: BackupRestorePlan
        do {
            plan = try await client.plan(container: target.container, backupID: id)
        } catch {
            throw backupFailure(error)
        }
        if !options.json {
            emit("restore \(id) will overwrite:")
            for line in plan.overwriteLines { emit("  " + line) }
        }
        guard yes else {
            printError("nothing changed: run again with --yes to restore")
            throw ExitCode(1)
        }
        var last: BackupRunRecord?
        var lines = BackupProgressLines()
        let runID = await client.runIDIfSupported(CommandAudit.runID(for: .restore), container: target.container, script: "restore")
        do {
            for try await record in client.restore(container: target.container, backupID: id, runID: runID) {
                last = record
                if !options.json, let line = lines.line(for: record) { emit(line) }
            }
        } catch {
            throw backupFailure((error as? BackupClientError) ?? BackupClientError(message: "\(error)"))
        }
        var loads: [BackupSidecarLoad] = []
        if let last, last.result == .succeeded {
            let loader = BackupSidecarLoader(podman: context.client)
            for action in last.pendingActions {
                let load = await loader.load(action, target: target)
                loads.append(load)
                emitEvent(.sidecarLoaded(service: load.service, succeeded: load.succeeded, detail: load.detail))
                if !options.json { emit("\(load.service): \(load.succeeded ? "loaded" : "NOT loaded"): \(load.detail)") }
            }
            if loads.allSatisfy(\.succeeded) { await loader.removeLeftovers(last.pendingActions, target: target) }
        }
        let succeeded = last?.result == .succeeded && loads.allSatisfy(\.succeeded)
        let report = Report(
            id: id, result: succeeded ? "succeeded" : "failed", exitCode: last?.exitCode,
            error: last?.error ?? loads.first { !$0.succeeded }.map { "\($0.service): \($0.detail)" },
            overwrites: plan.overwriteLines,
            sidecars: loads.map { Report.Load(service: $0.service, succeeded: $0.succeeded, detail: $0.detail) }
        )
        emitEvent(.restoreEnded(backupID: id, problem: succeeded ? nil : report.error ?? "no reason recorded"))
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            emit(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            emit(succeeded ? "restore \(id) done" : "restore \(id) FAILED: \(report.error ?? "no reason recorded")")
        }
        if !succeeded { throw ExitCode(Int32(last?.exitCode.flatMap { $0 > 0 ? $0 : nil } ?? 1)) }
    }
}
