import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// Subcommands: backup run|list|show|restore|verify.
enum BackupCommands {
    static let all: [any ParsableCommand.Type] = [BackupCommand.self]
}

/// `opencode-ops backup ...`: the same podman-exec client the console's Backups panel uses.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Run, list, show, restore and verify backups (the scripts in the OpenCode container).",
        subcommands: [BackupRunCommand.self, BackupListCommand.self, BackupShowCommand.self, BackupRestoreCommand.self,
                      BackupVerifyCommand.self]
    )
}

/// Options every backup subcommand takes.
struct BackupTargetOptions: ParsableArguments {
    @Option(name: .long, help: "OpenCode container to run the scripts in (default: the pod's OpenCode container).")
    var container: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// The client and the target: the given container, or the running OpenCode container of the pod.
    func resolve() async throws -> (BackupClient, BackupTarget, PodmanCommandContext) {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        switch try await resolve(context) {
        case .running(let client, let target): return (client, target, context)
        case .down(let reason):
            printError("error: no pod running: \(reason) (bring it up with `opencode-ops up`)")
            throw ExitCode(1)
        }
    }

    enum Resolved {
        case running(BackupClient, BackupTarget)
        case down(reason: String)
    }

    /// The running target, or why there is none.
    func resolve(_ context: PodmanCommandContext) async throws -> Resolved {
        let client = BackupClient(podman: context.client)
        let pod = context.settings.pod
        if let container {
            return .running(client, BackupTarget(
                container: container, falkordb: PodmanRole.falkordb.containerName(pod: pod),
                valkey: PodmanRole.valkey.containerName(pod: pod)
            ))
        }
        let snapshot: PodSnapshot
        do {
            snapshot = try await context.client.snapshot(pod: pod)
        } catch {
            throw fail(error)
        }
        let (target, reason) = BackupTargetFinder.target(in: snapshot)
        guard let target else { return .down(reason: reason) }
        return .running(client, target)
    }
}

func backupFailure(_ error: BackupClientError) -> ExitCode {
    emitEvent(.failed(message: error.message))
    printError("error: \(error.message)")
    return ExitCode(Int32(error.exitCode > 0 ? error.exitCode : 1))
}
