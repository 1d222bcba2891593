import ArgumentParser
import OpsAdapters
import OpsCore

/// `opencode-ops rebuild`: build, then replace the OpenCode container if the build succeeded;
/// `--rollback` puts the previous image back.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the image and replace the OpenCode container (volumes kept).",
        discussion: "If the new container is not healthy in time, the previous image stays tagged :previous; run `opencode-ops rebuild --rollback` to return to it."
    )

    @Flag(name: .long, help: "Go back to the image tagged :previous instead of building.")
    var rollback = false

    @OptionGroup var waitOption: WaitOption

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        try readonly.requireWritable(rollback ? "rollback" : "rebuild", context: context, target: context.settings.image)
        let rebuilder = context.rebuilder
        try await CommandGuard.requireNoBackup(rollback ? "rollback" : "rebuild", context: context, wait: waitOption.wait,
                                               target: rollback ? rebuilder.previousTag : context.settings.image)
        if rollback {
            emit("rolling back to \(rebuilder.previousTag)")
            try await CommandAudit.run("rollback", target: rebuilder.previousTag) {
                do {
                    try report(try await rebuilder.rollback(), rebuilder: rebuilder)
                } catch let failure as PodmanFailure {
                    throw fail(failure)
                }
            }
            return
        }
        emit(await rebuilder.replacementSummary())
        let job = rebuilder.rebuild()
        let interrupt = InterruptWatcher { job.cancel() }
        defer { interrupt.stop() }
        for await update in job.updates {
            switch update {
            case .build(.line(let line)):
                emitProgress(line)
                emit(line.text)
            case .build(.finished(let built)):
                guard case .succeeded(let imageID, _, let duration) = built else { break }
                // The replacement starts now: the console stops offering to cancel.
                emitEvent(JobEvent(built))
                emit("built \(imageID.prefix(12)) in \(formatDuration(duration))")
            case .phase(let phase):
                if let event = JobEvent(phase) { emitEvent(event) }
                switch phase {
                case .building: break
                case .keepingPrevious(let tag): emit("keeping the running image as \(tag)")
                case .waitingForBackup(let run): emit("waiting for \(run) to end before replacing")
                case .replacing(let container): emit("replacing \(container)")
                case .waitingForHealth(let container, let deadline):
                    emit("waiting up to \(formatDuration(deadline)) for \(container) to become healthy")
                }
            case .finished(let outcome): try report(outcome, rebuilder: rebuilder)
            case .failed(let failure): throw fail(failure)
            }
        }
    }

    private func report(_ outcome: PodmanRebuildOutcome, rebuilder: PodmanRebuilder) throws {
        emitEvent(JobEvent(outcome))
        switch outcome {
        case .replaced(let container, let imageID, let healthy):
            emit("\(container) now runs \(imageID.prefix(12))" + (healthy ? " and is healthy" : " (no health check)"))
        case .builtOnly(let imageID):
            emit("built \(imageID.prefix(12)); the pod is not up, so nothing was replaced")
        case .buildFailed(.failed(_, let message, _)):
            printError("error: build failed: \(message); the running container was not touched")
            throw ExitCode.failure
        case .buildFailed:
            printError("build cancelled; the running container was not touched")
            throw ExitCode(130)
        case .notHealthy(let container, _, let reason, let previous):
            printError("error: \(reason)")
            printError(previous.map { "\(container) is not healthy; roll back to \($0) with `opencode-ops rebuild --rollback`" }
                ?? "\(container) is not healthy; there is no previous image to roll back to")
            throw ExitCode(2)
        }
    }
}
