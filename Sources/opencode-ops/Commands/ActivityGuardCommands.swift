import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `--wait` for the subcommands that refuse while a backup or restore runs in the OpenCode
/// container (or, for a backup, while a job replaces that container).
struct WaitOption: ParsableArguments {
    @Flag(name: .long, help: "If a backup or restore runs in the OpenCode container (or a rebuild or apply replaces it), wait for it to end instead of refusing with exit 75.")
    var wait = false
}

/// The guards: an action that would kill a running backup or restore is refused (exit 75, with
/// the run's name and how to wait) or, with `--wait`, waits for it.
enum CommandGuard {
    /// Refuses or waits while a backup or restore runs in the OpenCode container.
    static func requireNoBackup(
        _ action: String, context: PodmanCommandContext, wait: Bool, target: String, container: String? = nil
    ) async throws {
        let container = container ?? PodmanRole.opencode.containerName(pod: context.settings.pod)
        let check = BackupActivityCheck(client: BackupClient(podman: context.client), container: container)
        guard let holder = await check.running() else { return }
        guard wait else {
            CommandAudit.record(action, target: target, result: "refused: \(holder.description) running")
            printError(ActivityGuard.refusal(
                action: action, holder: holder, container: container,
                waitHint: "Run it again with --wait to \(action) once it has ended."
            ))
            throw ExitCode(ActivityGuard.exitCode)
        }
        await check.waitUntilIdle { holder in
            emit("waiting for \(holder.description) to end before \(action)")
        }
    }

    /// Refuses or waits while a rebuild, rollback or apply job replaces the OpenCode container.
    static func requireNoReplacement(_ action: String, context: PodmanCommandContext, wait: Bool, target: String) async throws {
        let state = context.paths.stateDirectory
        guard let job = JobLock.replacingJob(stateDirectory: state) else { return }
        let name = "the \(job.kind.rawValue) job \(job.jobID) (started by \(job.user))"
        guard wait else {
            CommandAudit.record(action, target: target, result: "refused: \(job.kind.rawValue) job \(job.jobID) running")
            printError(ActivityGuard.jobRefusal(
                action: action, job: name,
                waitHint: "Run it again with --wait to start once the job has ended (`opencode-ops jobs attach \(job.jobID)` follows it)."
            ))
            throw ExitCode(ActivityGuard.exitCode)
        }
        emit("waiting for \(name) to end before \(action)")
        while !Task.isCancelled, JobLock.replacingJob(stateDirectory: state) != nil {
            try? await Task.sleep(nanoseconds: 2_000_000_000)
        }
    }
}
