import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops restart CONTAINER`: restarts one container of the pod, as the console's palette
/// `restart` does; refused under read-only, and while a backup or restore runs.
struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Restart one container of the pod: opencode, falkordb or valkey."
    )

    @Argument(help: "opencode, falkordb or valkey.")
    var container: String

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @OptionGroup var waitOption: WaitOption

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        guard let role = PodmanRole(rawValue: container.lowercased()) else {
            printError("error: unknown container '\(container)': give opencode, falkordb or valkey")
            throw ExitCode(64)
        }
        let name = role.containerName(pod: context.settings.pod)
        try readonly.requireWritable("restart", context: context, target: name)
        try await CommandGuard.requireNoBackup("restart", context: context, wait: waitOption.wait, target: name)
        try await CommandAudit.run("restart", target: name) {
            do throws(PodmanFailure) {
                try await context.deployer.restart(role: role)
            } catch {
                if json { emit(#"{"container":"\#(name)","result":"failed","error":\#(jsonString(error.message))}"#) }
                throw fail(error)
            }
            emit(json ? #"{"container":"\#(name)","result":"restarted"}"# : "\(name) restarted")
        }
    }
}
