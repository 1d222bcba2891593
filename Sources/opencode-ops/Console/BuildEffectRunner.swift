import Foundation
import OpsAdapters
import OpsCore

/// Runs build and log effects with the podman adapter, and posts what comes back as actions.
/// Everything runs in tasks: the terminal thread only hands effects over.
final class BuildEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = TaskBag()
    private let build = JobSlot()
    private let logs = JobSlot()

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens.
    func start() {
        perform(.loadHistory)
    }

    func perform(_ effect: BuildEffect) {
        let post = context.post
        switch effect {
        case .build:
            let job = context.builder.build(tag: context.startup.settings.image)
            build.replace(with: job.cancel)
            run(updates: job.updates) { post(.build(.build($0))) }
        case .rebuild:
            let job = context.rebuilder.rebuild()
            build.replace(with: job.cancel)
            run(updates: job.updates) { post(.build(.rebuild($0))) }
        case .cancel:
            build.cancel()
        case .streamLogs(let container, let tail, let generation):
            let job = PodmanLogs(client: context.podmanClient).stream(container: container, tail: tail, follow: true, timestamps: true)
            logs.replace(with: job.cancel)
            tasks.add(Task.detached {
                // One action a line: the run loop drains every posted action before it draws,
                // so a burst of lines still costs one redraw.
                for await line in job.updates {
                    post(.build(.logLines(generation: generation, [line])))
                }
                post(.build(.logEnded(generation: generation)))
            })
        case .stopLogs:
            logs.cancel()
        case .loadHistory:
            let history = context.buildHistory
            tasks.add(Task.detached { post(.build(.history(history.records()))) })
        }
    }

    /// Relays a job's updates and posts the elapsed time every second until it ends.
    private func run<Update: Sendable>(updates: AsyncStream<Update>, relay: @escaping @Sendable (Update) -> Void) {
        let post = context.post
        let clock = Task.detached {
            let started = Date()
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                if Task.isCancelled { break }
                post(.build(.tick(elapsed: Date().timeIntervalSince(started))))
            }
        }
        tasks.add(clock)
        tasks.add(Task.detached { [build] in
            for await update in updates { relay(update) }
            clock.cancel()
            build.clear()
        })
    }

    /// Called when the console closes.
    func stop() {
        build.cancel()
        logs.cancel()
        tasks.cancelAll()
    }
}

/// The cancel of the one job of a kind that may run at a time (a build, a log stream).
final class JobSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelJob: (@Sendable () -> Void)?

    /// Cancels the previous job and remembers the new one.
    func replace(with cancel: @escaping @Sendable () -> Void) {
        let previous = lock.withLock { () -> (@Sendable () -> Void)? in
            defer { cancelJob = cancel }
            return cancelJob
        }
        previous?()
    }

    func cancel() {
        let current = lock.withLock { () -> (@Sendable () -> Void)? in
            defer { cancelJob = nil }
            return cancelJob
        }
        current?()
    }

    func clear() {
        lock.withLock { cancelJob = nil }
    }
}
