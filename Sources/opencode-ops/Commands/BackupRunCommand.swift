import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `backup run`: starts a backup (detached in the container, so it survives this command) and
/// follows it to the end.
struct BackupRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a backup now and follow it; exit code as the script's (9: one is running)."
    )

    @OptionGroup var options: BackupTargetOptions

    @Flag(name: .long, help: "Start it and return at once (print the run id).")
    var detach = false

    @OptionGroup var waitOption: WaitOption

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        // Refused before looking for the pod: read-only says no whatever the pod's state.
        try readonly.requireWritable("backup run", context: PodmanCommandContext.load(), target: "backup")
        let (client, target, context) = try await options.resolve()
        try await CommandGuard.requireNoReplacement("backup", context: context, wait: waitOption.wait, target: target.container)
        try await CommandAudit.run("backup", target: target.container) { try await runBackup(client, target) }
    }

    private func runBackup(_ client: BackupClient, _ target: BackupTarget) async throws {
        let outcome: BackupTriggerOutcome
        do {
            let runID = await client.runIDIfSupported(CommandAudit.runID(for: .backup), container: target.container, script: "backup")
            outcome = try await client.trigger(container: target.container, runID: runID)
        } catch {
            throw backupFailure(error)
        }
        let id: String
        switch outcome {
        case .started(let started):
            id = started
        case .busy(let running, let message):
            if options.json {
                emit(#"{"result":"busy","exit_code":9,"running":"\#(running ?? "")","error":\#(jsonString(message))}"#)
            }
            printError("error: \(message)")
            throw ExitCode(9)
        case .failed(let code, let message):
            if options.json { emit(#"{"result":"failed","exit_code":\#(code),"error":\#(jsonString(message))}"#) }
            printError("error: backup could not start (exit \(code)): \(message)")
            throw ExitCode(Int32(code))
        }
        if detach {
            emit(options.json ? #"{"id":"\#(id)","result":"started"}"# : "backup \(id) started")
            return
        }
        if !options.json { emit("backup \(id) started in \(target.container)") }
        var last: BackupRunRecord?
        var lines = BackupProgressLines()
        do {
            for try await record in client.follow(container: target.container, runID: id) {
                last = record
                if !options.json, let line = lines.line(for: record) { emit(line) }
            }
        } catch {
            let detail = (error as? BackupClientError)?.message ?? "\(error)"
            if last?.result == .running {
                // The run stopped reporting before it recorded a result: say why, from its container.
                let reason = await BackupInterruption.reason(podman: client.podman, container: target.container, last: last)
                if options.json { emit(#"{"id":"\#(id)","result":"interrupted","exit_code":130,"error":\#(jsonString(reason))}"#) }
                printError("backup \(id) \(reason) (\(detail))")
                throw ExitCode(130)
            }
            printError("error: backup \(id): \(detail)")
            throw ExitCode(1)
        }
        if options.json {
            // The script's own final record, fields unchanged.
            do { emit(try await client.statusJSON(container: target.container, runID: id)) } catch { throw backupFailure(error) }
        }
        guard let last else { throw ExitCode(1) }
        if last.result == .succeeded {
            if !options.json {
                emit("backup \(id) \(last.verified ? "verified" : "done"), \(last.archive?.bytes.map(BackupFormat.bytes) ?? "size unknown") on \(last.remote ?? "the remote")")
            }
            return
        }
        if !options.json { printError("backup \(id) FAILED (\(last.errorKind ?? "failed")): \(last.error ?? "no reason recorded")") }
        throw ExitCode(Int32(last.exitCode ?? 1))
    }
}

/// A string as a JSON literal.
func jsonString(_ text: String) -> String {
    let data = (try? JSONEncoder().encode([text])) ?? Data("[\"\"]".utf8)
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}
