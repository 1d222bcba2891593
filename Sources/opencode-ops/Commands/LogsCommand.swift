import ArgumentParser
import OpsAdapters
import OpsCore

/// `opencode-ops logs [-f] [CONTAINER]`: a container's log (OpenCode by default).
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show a container's log: opencode (default), falkordb, valkey, or a container name."
    )

    @Flag(name: .shortAndLong, help: "Keep following new lines.")
    var follow = false

    @Option(name: .long, help: "Lines from the end to start with.")
    var tail = 100

    @Flag(name: .shortAndLong, help: "Prefix each line with its time.")
    var timestamps = false

    @Argument(help: "opencode, falkordb, valkey, or a container name.")
    var container = PodmanRole.opencode.rawValue

    func run() async throws {
        let context = PodmanCommandContext.load()
        let name = PodmanRole(rawValue: container)?.containerName(pod: context.settings.pod) ?? container
        let job = PodmanLogs(client: context.client).stream(container: name, tail: tail, follow: follow, timestamps: timestamps)
        let interrupt = InterruptWatcher { job.cancel() }
        defer { interrupt.stop() }
        for await line in job.updates {
            if line.isError { printError(line.text) } else { emit(line.text) }
        }
    }
}
