import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops job-run ID`: what a detached job runs as. It runs the job's subcommand in this
/// process, writes the job's status at the start and the end, and releases the job lock it
/// inherited. Started by `JobLauncher`, not by hand.
struct JobRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job-run", abstract: "Run a recorded job (started by the console or `jobs start`).",
        shouldDisplay: false
    )

    @Argument var id: String

    @Option(name: .customLong("lock-fd"), help: "The job lock's descriptor, inherited from the launcher.")
    var lockDescriptor: Int32?

    func run() async throws {
        // Its own session already keeps terminal hang-ups away; this guards a direct start.
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let paths = AppPaths.current()
        let store = JobStore(stateDirectory: paths.stateDirectory)
        guard var status = store.read(id) else {
            printError("error: no job \(id) in \(store.root)")
            throw ExitCode.failure
        }
        status.pid = getpid()
        status.state = .running
        try store.write(status)
        emit("job \(id): \(status.commandLine), started by \(status.startedBy) at \(JobTable.time(status.startedAt))")

        // The subcommand leaves auditing to this job's start and end records.
        setenv(CommandAudit.jobVariable, id, 1)
        var code: Int32 = 0
        do {
            var command = try OpencodeOps.parseAsRoot(status.arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            code = OpencodeOps.exitCode(for: error).rawValue
            let message = OpencodeOps.message(for: error)
            if code != 0 && !message.isEmpty {
                emitEvent(.failed(message: message))
                printError(message)
            }
        }
        status.state = code == 0 ? .succeeded : .failed
        status.exitCode = code
        status.endedAt = Date()
        try? store.write(status)
        if let lockDescriptor { JobLock.release(inheritedDescriptor: lockDescriptor) }
        let result = code == 0 ? "succeeded" : "failed (exit \(code))"
        JobAuditLog(stateDirectory: paths.stateDirectory, identity: JobIdentity(user: status.user, sshClient: status.sshClient))
            .record(action: status.kind.rawValue, target: id, result: result)
        emit("job \(id) \(result)")
        if code != 0 { throw ExitCode(code) }
    }
}
