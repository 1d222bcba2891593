import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops shell [opencode|falkordb|valkey]`: a shell in the OpenCode container, or
/// redis-cli in a database sidecar (its password, when set in the env file, passed as
/// REDISCLI_AUTH through podman's environment). Exits with the program's status.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Open a shell in the OpenCode container, or redis-cli in falkordb or valkey.",
        discussion: "Runs podman exec -it; needs a terminal. Refused with --readonly (a shell can change anything)."
    )

    @Argument(help: "opencode (a shell, the default), falkordb or valkey (redis-cli).")
    var container = PodmanRole.opencode.rawValue

    @OptionGroup var readonly: ReadonlyOption

    func validate() throws {
        guard ExecTarget(argument: container) != nil else {
            throw ValidationError("\(container): expected opencode, falkordb or valkey")
        }
    }

    func run() throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        let target = ExecTarget(argument: container) ?? .shell
        try readonly.requireWritable("exec \(target.program)", context: context, target: target.role.containerName(pod: context.settings.pod))
        let plan: ContainerExecPlan
        switch ContainerExecSession.plan(target, settings: context.settings, paths: context.paths) {
        case .success(let built): plan = built
        case .failure(let error):
            printError("error: \(error)")
            throw ExitCode(2)
        }
        guard isatty(STDIN_FILENO) != 0 else {
            printError("error: shell needs a terminal (podman exec -it)")
            throw ExitCode(2)
        }
        let (code, summary) = ContainerExecSession.run(plan, client: context.client)
        guard let code else {
            printError("error: \(summary)")
            throw ExitCode.failure
        }
        if code != 0 { throw ExitCode(code) }
    }
}
