import Foundation
import OpsAdapters
import OpsCore

/// Runs backup runs and listings through the scripts in the image, and posts what comes back as
/// actions. Which container runs the scripts comes from the pod's events, through `update`
/// (`BackupsAction.podChanged`). Restores and verifies are jobs (`JobsEffect.start`).
public final class BackupsEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = TaskHolder()

    public init(context: ConsoleContext) {
        self.context = context
    }

    public func perform(_ effect: BackupsEffect) {
        let scripts = context.backups
        let post = context.post
        let cache = BackupListingCache(stateDirectory: context.startup.paths.stateDirectory, pod: context.startup.settings.pod)
        switch effect {
        case .listOffline:
            // The cached copy at once, then a fresh listing from a one-off container.
            tasks.add(Task {
                if let cached = cache.load() {
                    post(.backups(.offlineListed(cached.listing, source: .cache(savedAt: cached.savedAt))))
                }
                do {
                    let (listing, line) = try await scripts.offlineListing()
                    cache.save(line, at: Date())
                    post(.backups(.offlineListed(listing, source: .oneOff(at: Date()))))
                } catch {
                    post(.backups(.offlineFailed(Self.describe(error))))
                }
            })
        case .refresh(let target):
            tasks.add(Task {
                async let schedule = scripts.schedule(container: target.container)
                async let runs = scripts.runs(container: target.container)
                async let listing = scripts.listingWithLine(container: target.container)
                do {
                    post(.backups(.scheduleLoaded(try await schedule, at: Date())))
                } catch {
                    post(.backups(.failed("backup schedule: \(Self.describe(error))")))
                }
                do {
                    post(.backups(.runsLoaded(try await runs)))
                } catch {
                    post(.backups(.failed("backup history: \(Self.describe(error))")))
                }
                do {
                    let (loaded, line) = try await listing
                    cache.save(line, at: Date())
                    post(.backups(.listingLoaded(loaded)))
                } catch {
                    post(.backups(.listingFailed(Self.describe(error))))
                }
            })
        case .trigger(let target):
            // The backup runs detached inside the container (`backup --detach`), which outlives
            // the console; the audit log records who started it and how the start went.
            let jobs = context.jobs
            tasks.add(Task {
                do {
                    let outcome = try await scripts.trigger(container: target.container)
                    jobs.record(action: "backup", target: target.container, result: Self.auditResult(outcome))
                    post(.backups(.triggered(outcome)))
                } catch {
                    jobs.record(action: "backup", target: target.container, result: "failed to start: \(Self.describe(error))")
                    post(.backups(.failed("backup could not start: \(Self.describe(error))")))
                }
            })
        case .follow(let target, let runID):
            let name = "follow-\(runID)"
            guard !tasks.contains(name) else { return }
            tasks.replace(name, with: Task { [tasks] in
                var problem: String? = "follow ended before the run recorded a result"
                var last: BackupRunRecord?
                do {
                    for try await record in scripts.follow(container: target.container, runID: runID) {
                        post(.backups(.runUpdated(record)))
                        last = record
                        if record.result != .running { problem = nil }
                    }
                } catch {
                    problem = Self.describe(error)
                }
                if problem != nil, last?.result != .succeeded && last?.result != .failed {
                    problem = await scripts.interruption(container: target.container, last: last)
                }
                tasks.remove(name)
                if !Task.isCancelled { post(.backups(.followEnded(runID: runID, problem: problem))) }
            })
        case .loadLog(let target, let runID):
            tasks.add(Task {
                do {
                    post(.backups(.logLoaded(runID: runID, lines: try await scripts.log(container: target.container, runID: runID))))
                } catch {
                    post(.backups(.failed("log of \(runID): \(Self.describe(error))")))
                }
            })
        case .planRestore(let target, let backupID):
            tasks.add(Task {
                do {
                    post(.backups(.planLoaded(try await scripts.plan(container: target.container, backupID: backupID))))
                } catch {
                    post(.backups(.failed("restore of \(backupID) refused: \(Self.describe(error))")))
                }
            })
        }
    }

    static func auditResult(_ outcome: BackupTriggerOutcome) -> String {
        switch outcome {
        case .started(let id): return "started run \(id)"
        case .busy(let running, let message): return "refused: busy\(running.map { " (\($0) runs)" } ?? ""): \(message)"
        case .failed(let code, let message): return "failed to start (exit \(code)): \(message)"
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? BackupClientError)?.message ?? "\(error)"
    }

    /// Called when the console closes. A detached backup keeps running in the container.
    public func stop() {
        tasks.cancelAll()
    }
}
