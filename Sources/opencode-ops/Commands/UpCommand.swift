import ArgumentParser
import OpsAdapters
import OpsCore

/// `opencode-ops up`: create and start the pod (OpenCode, FalkorDB, Valkey), then wait for health.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring the pod up: OpenCode, FalkorDB and Valkey sharing localhost."
    )

    @Flag(name: .long, help: "Return once started, without waiting for the health check.")
    var noWait = false

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        try readonly.requireWritable("up", context: context, target: context.settings.pod)
        try await CommandAudit.run("up", target: context.settings.pod) { try await bringUp(context) }
    }

    private func bringUp(_ context: PodmanCommandContext) async throws {
        let deployer = context.deployer
        let result: PodmanBringUpResult
        do {
            result = try await deployer.up()
        } catch {
            throw fail(error)
        }
        for warning in result.warnings { printError("warning: \(warning)") }
        switch result {
        case .alreadyUp(let pod, _):
            emit("pod \(pod) is already up")
        case .started(let pod, let containers, _):
            emit("pod \(pod) started: \(containers.joined(separator: ", "))")
            emit("OpenCode: http://\(context.settings.bindAddress):\(context.settings.port)")
            if noWait { return }
            let name = PodmanRole.opencode.containerName(pod: pod)
            switch await deployer.waitForHealth(container: name) {
            case .healthy(let after): emit("\(name) is healthy (after \(formatDuration(after)))")
            case .runningWithoutHealthcheck: emit("\(name) is running (its image has no health check)")
            case .notHealthy(let reason):
                printError("error: \(reason); see `opencode-ops logs \(PodmanRole.opencode.rawValue)`")
                throw ExitCode(2)
            }
        }
    }
}
