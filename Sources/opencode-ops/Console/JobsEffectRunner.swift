import Foundation
import OpsAdapters
import OpsCore

/// Runs detached jobs, their locks and the audit log, and posts what comes back as actions.
/// Jobs started by other consoles or the CLI appear through `JobsWatch` (inotify), not a timer.
final class JobsEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = JobsTasks()

    init(context: ConsoleContext) {
        self.context = context
    }

    var launcher: JobLauncher { JobLauncher(stateDirectory: context.startup.paths.stateDirectory) }

    /// Called once when the console opens.
    func start() {
        let stateDirectory = context.startup.paths.stateDirectory
        let post = context.post
        refresh()
        tasks.setWatch(Task.detached { [weak self] in
            var last: [JobStatus] = []
            for await _ in JobsWatch(stateDirectory: stateDirectory).changes() {
                let jobs = JobStore(stateDirectory: stateDirectory).list()
                let audit = JobAuditLog(stateDirectory: stateDirectory).entries(limit: 200)
                // The liveness tick fires with nothing new most of the time: post only changes.
                if jobs == last && self?.tasks.auditCount == audit.count { continue }
                last = jobs
                self?.tasks.auditCount = audit.count
                post(.jobs(.listed(jobs: jobs, audit: audit)))
            }
        })
    }

    func perform(_ effect: JobsEffect) {
        switch effect {
        case .refresh:
            refresh()
        case .start(let request):
            if context.startup.settings.readonly {
                launcher.audit.record(action: request.kind.rawValue, target: request.target ?? request.kind.lockName, result: "refused: read-only")
                context.post(.jobs(.refused(request, reason: "read-only")))
                return
            }
            do {
                let started = try launcher.start(request)
                context.post(.jobs(.started(started.status, notes: started.notes)))
            } catch {
                context.post(.jobs(.refused(request, reason: error.description)))
            }
        case .attach(let id):
            // Only the newest lines the page keeps reach the loop, one batch per drain.
            let store = JobStore(stateDirectory: context.startup.paths.stateDirectory)
            let collect = context.postCollecting
            let stop = JobLogFollower(store: store, id: id).tail(keep: context.startup.settings.logLines) { tail in
                collect {
                    tail.take().map(
                        skipped: { .jobs(.outputSkipped(jobID: id, count: $0)) },
                        lines: { .jobs(.output(jobID: id, lines: $0)) },
                        ended: { .jobs(.outputEnded(jobID: id)) }
                    )
                }
            }
            tasks.setAttached(stop)
        case .detach:
            tasks.setAttached(nil)
        }
    }

    private func refresh() {
        let stateDirectory = context.startup.paths.stateDirectory
        let jobs = JobStore(stateDirectory: stateDirectory).list()
        let audit = JobAuditLog(stateDirectory: stateDirectory).entries(limit: 200)
        context.post(.jobs(.listed(jobs: jobs, audit: audit)))
    }

    /// Called when the console closes. Jobs go on; only this console's watching stops.
    func stop() {
        tasks.setWatch(nil)
        tasks.setAttached(nil)
    }
}

/// The runner's background tasks, replaced and cancelled from the terminal thread.
private final class JobsTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var watch: Task<Void, Never>?
    private var attached: (@Sendable () -> Void)?
    private var count = -1

    func setWatch(_ task: Task<Void, Never>?) {
        lock.lock()
        let old = watch
        watch = task
        lock.unlock()
        old?.cancel()
    }

    /// Remembers how to stop following the attached job's output, and stops the previous one.
    func setAttached(_ cancel: (@Sendable () -> Void)?) {
        lock.lock()
        let old = attached
        attached = cancel
        lock.unlock()
        old?()
    }

    var auditCount: Int {
        get { lock.lock(); defer { lock.unlock() }; return count }
        set { lock.lock(); count = newValue; lock.unlock() }
    }
}
