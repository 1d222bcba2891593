import Foundation
import OpsAdapters
import OpsCore

/// Runs build and log effects, and posts what comes back as actions. Builds and rebuilds run as
/// detached jobs (`JobLauncher`) that outlive the console and its SSH session; the runner follows
/// the job's log and status and posts the same actions an in-process build would.
/// Everything runs in tasks: the terminal thread only hands effects over.
final class BuildEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = TaskBag()
    private let build = JobSlot()
    private let logs = JobSlot()

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens: also picks up an image job that runs already
    /// (started by another console, the CLI, or this console before an SSH drop).
    func start() {
        perform(.loadHistory)
        let store = JobStore(stateDirectory: context.startup.paths.stateDirectory)
        guard let job = store.list().first(where: { $0.kind.lockName == JobKind.rebuild.lockName }) else { return }
        if job.state == .running {
            context.post(.build(.attached(job, elapsed: Date().timeIntervalSince(job.startedAt))))
        }
        // A finished one (it may have ended while no console was open) shows its result as the
        // panel's last result; a running one is followed to its end.
        ImageJob.follow(job, context: context, tasks: tasks, slot: job.state == .running ? build : nil, replaysLines: job.state == .running)
    }

    func perform(_ effect: BuildEffect) {
        let post = context.post
        switch effect {
        case .build:
            ImageJob.start(.build, context: context, tasks: tasks, slot: build)
        case .rebuild:
            ImageJob.start(.rebuild, context: context, tasks: tasks, slot: build)
        case .cancel:
            build.cancel()
        case .streamLogs(let container, let tail, let generation):
            // The view keeps `tail` lines: more than that waiting are dropped at the follower,
            // and the loop takes what waits in one action per drain, never one per line.
            let collect = context.postCollecting
            let stop = PodmanLogs(client: context.podmanClient).follow(
                container: container, tail: tail, keep: tail, timestamps: true
            ) { lines in
                collect {
                    lines.take().map(
                        skipped: { .build(.logSkipped(generation: generation, count: $0)) },
                        lines: { .build(.logLines(generation: generation, $0)) },
                        ended: { .build(.logEnded(generation: generation)) }
                    )
                }
            }
            logs.replace(with: stop)
        case .stopLogs:
            logs.cancel()
        case .loadHistory:
            let history = context.buildHistory
            tasks.add(Task.detached { post(.build(.history(history.records()))) })
        }
    }

    /// Called when the console closes. A running build job goes on; only following it stops.
    func stop() {
        build.clear()
        logs.cancel()
        tasks.cancelAll()
    }
}

/// Build, rebuild and rollback as detached jobs, shown through the actions the panels render.
enum ImageJob {
    /// Starts the job (off the terminal thread: taking the lock may wait a moment), then
    /// follows it. A busy lock comes back as a refusal naming who started the running job.
    static func start(_ kind: JobKind, context: ConsoleContext, tasks: TaskBag, slot: JobSlot?) {
        let post = context.post
        let launcher = JobLauncher(stateDirectory: context.startup.paths.stateDirectory)
        tasks.add(Task.detached {
            let request = JobRequest(kind: kind, image: context.startup.settings.image)
            do throws(JobLaunchError) {
                let started = try launcher.start(request)
                post(.jobs(.started(started.status, notes: started.notes)))
                follow(started.status, context: context, tasks: tasks, slot: slot)
            } catch {
                post(.jobs(.refused(request, reason: error.description)))
            }
        })
    }

    /// Relays the job's output as build lines and phases, the elapsed time every second, and its
    /// result when its status records the end. Cancel (the slot) interrupts the job as Ctrl-C
    /// would: podman build stops and nothing is tagged.
    static func follow(_ job: JobStatus, context: ConsoleContext, tasks: TaskBag, slot: JobSlot?, replaysLines: Bool = true) {
        let post = context.post
        let store = JobStore(stateDirectory: context.startup.paths.stateDirectory)
        let started = job.startedAt
        let pid = job.pid
        if job.kind != .rollback, pid > 0, job.state == .running {
            slot?.replace(with: { if JobStore.isAlive(pid: pid, jobID: job.id) { kill(pid, SIGINT) } })
        }
        let clock = Task.detached {
            while !Task.isCancelled, job.kind != .rollback, job.state == .running {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                if Task.isCancelled { break }
                post(.build(.tick(elapsed: Date().timeIntervalSince(started))))
            }
        }
        tasks.add(clock)
        // A job that had ended before this console opened: its result is shown as earlier.
        let ended: @Sendable (BuildAction) -> Void = { action in
            post(.build(replaysLines ? action : .beforeThisConsole(action)))
        }
        tasks.add(Task.detached {
            var reader = JobEventReader(kind: job.kind)
            for await line in JobLogFollower(store: store, id: job.id).lines() {
                let elapsed = Date().timeIntervalSince(started)
                switch replaysLines ? job.kind : .rollback {
                case .build:
                    if let update = reader.buildUpdate(line, elapsed: elapsed) { post(.build(.build(update))) }
                case .rebuild:
                    for update in reader.rebuildUpdates(line, elapsed: elapsed) { post(.build(.rebuild(update))) }
                default:
                    _ = reader.rebuildUpdates(line, elapsed: elapsed)
                }
            }
            clock.cancel()
            // The console is closing: the job goes on, and the next console picks it up.
            if Task.isCancelled { return }
            slot?.clear()
            var status = store.read(job.id) ?? job
            if status.state == .running { status.state = .abandoned }
            let elapsed = (status.endedAt ?? Date()).timeIntervalSince(started)
            switch job.kind {
            case .build:
                ended(.build(.finished(reader.buildOutcome(status, elapsed: elapsed))))
            case .rebuild:
                switch reader.rebuildOutcome(status, elapsed: elapsed) {
                case .success(let outcome): ended(.rebuild(.finished(outcome)))
                case .failure(let failure): ended(.rebuild(.failed(failure)))
                }
            case .rollback:
                post(.pod(.rollbackFinished(reader.rebuildOutcome(status, elapsed: elapsed))))
            case .backup, .restore, .verify, .apply:
                break
            }
        })
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
