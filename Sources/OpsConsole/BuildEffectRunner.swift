import Foundation
import OpsAdapters
import OpsCore

/// Runs the build panel's effects: cancelling the running build job, the container log stream
/// and the build history. Builds themselves start and are followed as jobs (`JobsEffectRunner`).
/// Everything runs off the terminal thread: it only hands effects over.
public final class BuildEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = TaskHolder()

    public init(context: ConsoleContext) {
        self.context = context
    }

    public func perform(_ effect: BuildEffect) {
        let post = context.post
        switch effect {
        case .cancel:
            // As Ctrl-C would: podman build stops and nothing is tagged. Whichever console or
            // shell started the job, the one running is the one to stop.
            let jobs = context.jobs
            if let job = jobs.list().first(where: { $0.state == .running && ($0.kind == .build || $0.kind == .rebuild) }) {
                jobs.interrupt(job)
            }
        case .streamLogs(let container, let tail, let generation):
            // The view keeps `tail` lines: more than that waiting are dropped at the follower,
            // and the loop takes what waits in one action per drain, never one per line.
            let collect = context.postCollecting
            let stop = context.pod.followLog(container: container, tail: tail, keep: tail) { lines in
                collect {
                    lines.take().map(
                        skipped: { .build(.logSkipped(generation: generation, count: $0)) },
                        lines: { .build(.logLines(generation: generation, $0)) },
                        ended: { .build(.logEnded(generation: generation)) }
                    )
                }
            }
            tasks.replace("logs", with: stop)
        case .stopLogs:
            tasks.cancel("logs")
        case .loadHistory:
            let pod = context.pod
            tasks.add(Task.detached { post(.build(.history(pod.buildHistory()))) })
        }
    }

    /// Called when the console closes. A running build job goes on; only following it stops.
    public func stop() {
        tasks.cancelAll()
    }
}
