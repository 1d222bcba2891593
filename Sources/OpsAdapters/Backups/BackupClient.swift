import Foundation
import OpsCore

/// Runs the backup scripts inside the OpenCode container with `podman exec` (argument arrays,
/// never a shell). Credentials stay in that container's environment: nothing secret is passed
/// here or comes back (the scripts mask the remote and redact their logs).
public struct BackupClient: Sendable {
    public var podman: PodmanClient
    /// Where the image installs the scripts.
    public var scriptsDirectory: String
    /// When set, one-shot commands run through it instead of a `podman exec` each: a
    /// `ContainerChannel`'s runner into the container the calls name.
    public var runner: CommandRunner?

    public init(podman: PodmanClient, scriptsDirectory: String = "/app/scripts", runner: CommandRunner? = nil) {
        self.podman = podman
        self.scriptsDirectory = scriptsDirectory
        self.runner = runner
    }

    func script(_ name: String) -> String { "\(scriptsDirectory)/\(name)" }

    /// `podman exec -i=false <container> <command...>`.
    func execArguments(_ container: String, _ command: [String]) -> [String] {
        ["exec", "--", container] + command
    }

    func exec(_ container: String, _ command: [String]) async throws(BackupClientError) -> ProcessResult {
        if let runner {
            do {
                return try await runner(command, [:])
            } catch {
                throw BackupClientError(message: "\(error)")
            }
        }
        do {
            return try await podman.run(execArguments(container, command))
        } catch {
            throw BackupClientError(error)
        }
    }

    /// `BACKUP_SCHEDULE` in the container's environment; nil when unset or empty.
    public func schedule(container: String) async throws(BackupClientError) -> String? {
        let result = try await exec(container, ["printenv", "BACKUP_SCHEDULE"])
        if result.exitCode == 1 { return nil }
        guard result.succeeded else { throw Self.failure("printenv BACKUP_SCHEDULE", result) }
        // Only the newline printenv adds goes: the entrypoint refuses any other control character
        // or blank value, and the console's parser must see what the entrypoint saw.
        var value = result.stdoutText
        if value.hasSuffix("\n") { value.removeLast() }
        return value.isEmpty ? nil : value
    }

    /// The local run history (`list-backups --runs --json`), newest first.
    public func runs(container: String) async throws(BackupClientError) -> [BackupRunRecord] {
        let result = try await exec(container, [script("list-backups"), "--runs", "--json"])
        guard result.succeeded else { throw Self.failure("list-backups --runs", result) }
        struct Runs: Decodable { var runs: [BackupRunRecord] }
        return try Self.decode(Runs.self, from: result.stdout, what: "list-backups --runs --json").runs
    }

    /// The backups on the remote (`list-backups --json`), newest first.
    public func listing(container: String) async throws(BackupClientError) -> BackupListing {
        try await listingWithLine(container: container).0
    }

    /// The listing and the script's JSON line as printed (what the listing cache keeps).
    public func listingWithLine(container: String) async throws(BackupClientError) -> (BackupListing, String) {
        let result = try await exec(container, [script("list-backups"), "--json"])
        guard result.succeeded else { throw Self.failure("list-backups", result) }
        let line = result.stdoutText.split(separator: "\n").last(where: { $0.hasPrefix("{") }).map(String.init) ?? ""
        return (try Self.decode(BackupListing.self, from: Data(line.utf8), what: "list-backups --json"), line)
    }

    /// Starts a backup in the background (`backup --trigger manual --detach --json`); `runID`
    /// (a job's id) becomes the run's id, else the script makes one.
    public func trigger(container: String, runID: String? = nil) async throws(BackupClientError) -> BackupTriggerOutcome {
        let result = try await exec(container, [script("backup"), "--trigger", "manual", "--detach", "--json"] + Self.runIDArguments(runID))
        return try Self.triggerOutcome(result)
    }

    static func triggerOutcome(_ result: ProcessResult) throws(BackupClientError) -> BackupTriggerOutcome {
        struct Answer: Decodable {
            struct Holder: Decodable { var id: String? }
            var id: String?
            var result: String?
            var error: String?
            var running: Holder?
        }
        let line = result.stdoutText.split(separator: "\n").last(where: { $0.hasPrefix("{") }).map(String.init) ?? ""
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(line.utf8))
        if result.succeeded, let id = answer?.id, answer?.result == "started" { return .started(id: id) }
        if result.exitCode == 9 {
            return .busy(runningID: answer?.running?.id, message: answer?.error ?? "another backup is running")
        }
        if answer == nil && result.exitCode > 125 {
            throw failure("backup --detach", result)
        }
        let message = answer?.error ?? lastLine(result.stderrText) ?? "exit \(result.exitCode)"
        return .failed(exitCode: Int(result.exitCode), message: message)
    }

    /// One run's record (`backup --status ID --json`).
    public func status(container: String, runID: String) async throws(BackupClientError) -> BackupRunRecord {
        let result = try await exec(container, [script("backup"), "--status", runID, "--json"])
        guard result.succeeded else { throw Self.failure("backup --status \(runID)", result) }
        return try Self.decode(BackupRunRecord.self, from: result.stdout, what: "backup --status --json")
    }

    /// One run's record as the script printed it (for `--json` output, fields unchanged).
    public func statusJSON(container: String, runID: String) async throws(BackupClientError) -> String {
        let result = try await exec(container, [script("backup"), "--status", runID, "--json"])
        guard result.succeeded else { throw Self.failure("backup --status \(runID)", result) }
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A run's log lines (`backup --log ID`).
    public func log(container: String, runID: String) async throws(BackupClientError) -> [String] {
        let result = try await exec(container, [script("backup"), "--log", runID])
        guard result.succeeded else { throw Self.failure("backup --log \(runID)", result) }
        return result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .reversed().drop(while: \.isEmpty).reversed()
    }

    /// What `restore ID` would overwrite (`restore ID --plan --json`); changes nothing.
    public func plan(container: String, backupID: String) async throws(BackupClientError) -> BackupRestorePlan {
        let result = try await exec(container, [script("restore"), backupID, "--plan", "--json"])
        guard result.succeeded else { throw Self.failure("restore --plan \(backupID)", result) }
        return try Self.decode(BackupRestorePlan.self, from: result.stdout, what: "restore --plan --json")
    }

    /// Follows a run's record through one long-lived `backup --status ID --follow` process:
    /// a record at every change, ending after the final one.
    public func follow(container: String, runID: String) -> AsyncThrowingStream<BackupRunRecord, any Error> {
        stream(container, [script("backup"), "--status", runID, "--follow", "--json"], what: "backup --status --follow")
    }

    /// Runs a restore in the foreground (`restore ID --follow --json`), streaming its record;
    /// the last one is the result, with `pending_actions` for the sidecars.
    public func restore(container: String, backupID: String, runID: String? = nil) -> AsyncThrowingStream<BackupRunRecord, any Error> {
        stream(container, [script("restore"), backupID, "--follow", "--json"] + Self.runIDArguments(runID), what: "restore")
    }

    static func runIDArguments(_ runID: String?) -> [String] {
        runID.map { ["--run-id", $0] } ?? []
    }

    /// `runID` when the container's scripts take `--run-id`, nil when they are older (an image
    /// built before it): the run then gets an id of the script's own rather than failing.
    public func runIDIfSupported(_ runID: String?, container: String, script name: String) async -> String? {
        guard let runID else { return nil }
        guard let help = try? await exec(container, [script(name), "--help"]), help.succeeded else { return runID }
        return help.stdoutText.contains("--run-id") ? runID : nil
    }

    /// Reads a backup back and test-restores it in the foreground (`verify ID --follow --json`),
    /// streaming its record; the last one is the result.
    public func verify(container: String, backupID: String) -> AsyncThrowingStream<BackupRunRecord, any Error> {
        stream(container, [script("verify"), backupID, "--follow", "--json"], what: "verify")
    }

    private func stream(_ container: String, _ command: [String], what: String) -> AsyncThrowingStream<BackupRunRecord, any Error> {
        let (stream, continuation) = AsyncThrowingStream<BackupRunRecord, any Error>.makeStream()
        let podman = self.podman
        let arguments = execArguments(container, command)
        let task = Task {
            let process: RunningProcess
            do throws(PodmanFailure) {
                process = try podman.start(arguments)
            } catch {
                continuation.finish(throwing: BackupClientError(error))
                return
            }
            var errors: [String] = []
            var lastJSONError: String?
            var last: BackupRunRecord?
            await withTaskCancellationHandler {
                for await line in process.output {
                    if line.source == .stderr {
                        if !line.text.isEmpty { errors.append(line.text) }
                        continue
                    }
                    guard line.text.hasPrefix("{") else { continue }
                    if let record = try? JSONDecoder().decode(BackupRunRecord.self, from: Data(line.text.utf8)) {
                        last = record
                        continuation.yield(record)
                    } else if let failure = try? JSONDecoder().decode(ErrorAnswer.self, from: Data(line.text.utf8)) {
                        lastJSONError = failure.error
                    }
                }
            } onCancel: {
                process.terminate(grace: 1)
            }
            let code = await process.exitCode()
            if let last, last.result == .running, lastJSONError == nil {
                // The follower ended before the run did (its container stopped, podman died):
                // whatever the exit code, the run's end was never seen.
                continuation.finish(throwing: BackupClientError(
                    message: "lost contact with the run \(last.id) in phase \(last.phase) (\(what) exited \(code))", exitCode: Int(code)))
            } else if last != nil && lastJSONError == nil {
                continuation.finish()
            } else {
                let detail = lastJSONError ?? PodmanClient.lastErrorLine(errors.joined(separator: "\n")) ?? "no output"
                continuation.finish(throwing: BackupClientError(message: "\(what) failed (exit \(code)): \(detail)", exitCode: Int(code)))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    struct ErrorAnswer: Decodable {
        var result: String?
        var error: String?
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(BackupClientError) -> T {
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last(where: { $0.hasPrefix("{") }).map(String.init) ?? ""
        do {
            return try JSONDecoder().decode(T.self, from: Data(line.utf8))
        } catch {
            throw BackupClientError(message: "could not read the output of \(what): \(error)")
        }
    }

    /// The script's JSON `error`, else its last stderr line, else podman's.
    static func failure(_ what: String, _ result: ProcessResult) -> BackupClientError {
        if let line = result.stdoutText.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
           let answer = try? JSONDecoder().decode(ErrorAnswer.self, from: Data(line.utf8)), let error = answer.error {
            return BackupClientError(message: error, exitCode: Int(result.exitCode))
        }
        let detail = lastLine(result.stderrText) ?? lastLine(result.stdoutText) ?? "no output"
        return BackupClientError(message: "\(what) failed (exit \(result.exitCode)): \(detail)", exitCode: Int(result.exitCode))
    }

    static func lastLine(_ text: String) -> String? {
        PodmanClient.lastErrorLine(text)
    }
}
