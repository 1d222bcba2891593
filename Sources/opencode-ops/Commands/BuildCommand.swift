import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops build`: build the image from the build context, streaming podman's output.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the OpenCode image (podman build --format docker) and tag it."
    )

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        try readonly.requireWritable("build", context: context, target: context.settings.image)
        let builder = context.builder
        emit("building \(builder.containerfilePath) as \(context.settings.image)")
        let outcome = await BuildOutputPrinter.run(builder.build(tag: context.settings.image))
        emitEvent(JobEvent(outcome))
        switch outcome {
        case .succeeded(let imageID, let tag, let duration):
            emit("built \(tag) (\(imageID.prefix(12))) in \(formatDuration(duration))")
        case .failed(_, let message, let duration):
            printError("error: build failed after \(formatDuration(duration)): \(message)")
            throw ExitCode.failure
        case .cancelled:
            printError("build cancelled; nothing was tagged")
            throw ExitCode(130)
        }
    }
}

/// Prints build lines as they come and cancels the build on Ctrl-C.
enum BuildOutputPrinter {
    static func run(_ job: PodmanJob<PodmanBuildUpdate>) async -> PodmanBuildOutcome {
        let interrupt = InterruptWatcher { job.cancel() }
        defer { interrupt.stop() }
        var outcome: PodmanBuildOutcome = .cancelled(duration: 0)
        for await update in job.updates {
            switch update {
            case .line(let line):
                emitProgress(line)
                emit(line.text)
            case .finished(let finished): outcome = finished
            }
        }
        return outcome
    }
}

/// The progress event of a `STEP n/m` line, written before the line itself.
func emitProgress(_ line: PodmanBuildLine) {
    guard let progress = line.progress, PodmanBuildProgress(line: line.text) != nil else { return }
    emitEvent(.progress(step: progress.step, total: progress.total, instruction: progress.instruction))
}

/// Turns SIGINT into a cancel of the running job (a second Ctrl-C still kills the process).
final class InterruptWatcher: @unchecked Sendable {
    private let source: DispatchSourceSignal

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            printError("cancelling...")
            signal(SIGINT, SIG_DFL)
            onInterrupt()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
