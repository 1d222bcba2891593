import ArgumentParser
import OpsAdapters
import OpsCore

/// `opencode-ops down`: remove the pod's containers; the data volumes stay.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Remove the pod and its containers; the data volumes are kept."
    )

    @OptionGroup var waitOption: WaitOption

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        try readonly.requireWritable("down", context: context, target: context.settings.pod)
        try await CommandGuard.requireNoBackup("down", context: context, wait: waitOption.wait, target: context.settings.pod)
        try await CommandAudit.run("down", target: context.settings.pod) { try await tearDown(context) }
    }

    private func tearDown(_ context: PodmanCommandContext) async throws {
        do {
            switch try await context.deployer.down() {
            case .notPresent(let pod):
                emit("pod \(pod) is not there; nothing to remove")
            case .removed(let pod, let containers, let volumes):
                emit("pod \(pod) removed (\(containers.joined(separator: ", ")))")
                if !volumes.isEmpty { emit("volumes kept: \(volumes.joined(separator: ", "))") }
            }
        } catch {
            throw fail(error)
        }
    }
}
