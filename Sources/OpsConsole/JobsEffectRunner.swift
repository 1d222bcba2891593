import Foundation
import OpsAdapters
import OpsCore

/// Runs detached jobs: the one place the console starts one (`JobsEffect.start`, whatever the
/// confirmation), follows it to its end, watches the jobs folder and the audit log, and streams
/// an attached job's output. Jobs started by other consoles or the CLI appear through the watch
/// (inotify), not a timer.
public final class JobsEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = TaskHolder()

    public init(context: ConsoleContext) {
        self.context = context
    }

    private var follower: JobFollower { JobFollower(jobs: context.jobs, post: context.post, tasks: tasks) }

    public func perform(_ effect: JobsEffect) {
        let jobs = context.jobs
        let post = context.post
        switch effect {
        case .refresh:
            post(.jobs(.listed(jobs: jobs.list(), audit: jobs.audit(limit: Self.auditLimit))))
        case .watch:
            tasks.replace("watch", with: Task.detached {
                var last: [JobStatus]?
                var auditCount = -1
                for await _ in jobs.changes() {
                    let listed = jobs.list()
                    let audit = jobs.audit(limit: Self.auditLimit)
                    // The liveness tick fires with nothing new most of the time: post only changes.
                    if listed == last && audit.count == auditCount { continue }
                    last = listed
                    auditCount = audit.count
                    post(.jobs(.listed(jobs: listed, audit: audit)))
                }
            })
        case .start(let request):
            if context.startup.settings.readonly {
                jobs.record(action: request.kind.rawValue, target: request.auditTarget, result: "refused: read-only")
                post(.jobs(.refused(request, reason: "read-only")))
                return
            }
            // Off the terminal thread: taking the lock may wait a moment. A busy lock comes back
            // as a refusal naming who started the running job.
            let follower = follower
            tasks.add(Task.detached {
                do throws(JobLaunchError) {
                    let started = try jobs.start(request)
                    post(.jobs(.started(started.status, notes: started.notes)))
                    follower.follow(started.status)
                } catch {
                    post(.jobs(.refused(request, reason: error.description)))
                }
            })
        case .resume:
            follower.resume()
        case .attach(let id):
            // Only the newest lines the page keeps reach the loop, one batch per drain.
            let collect = context.postCollecting
            let stop = jobs.tail(of: id, keep: context.startup.settings.logLines) { tail in
                collect {
                    tail.take().map(
                        skipped: { .jobs(.outputSkipped(jobID: id, count: $0)) },
                        lines: { .jobs(.output(jobID: id, lines: $0)) },
                        ended: { .jobs(.outputEnded(jobID: id)) }
                    )
                }
            }
            tasks.replace("attached", with: stop)
        case .detach:
            tasks.cancel("attached")
        }
    }

    static let auditLimit = 200

    /// Called when the console closes. Jobs go on; only this console's watching stops.
    public func stop() {
        tasks.cancelAll()
    }
}
