import Foundation
import OpsAdapters
import OpsCore

/// Runs backup runs and listings through the scripts in the image, and posts what comes back as actions.
final class BackupsEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = BackupTaskSet()

    init(context: ConsoleContext) {
        self.context = context
    }

    private var podman: PodmanClient { PodmanClient(settings: context.startup.settings) }
    private var client: BackupClient { BackupClient(podman: podman) }

    /// Called once when the console opens. Which container runs the scripts comes from the pod
    /// runner's events stream, through `update` (`BackupsAction.podChanged`).
    func start() {
        // A restore job that runs already (another console, the CLI, before an SSH drop).
        let store = JobStore(stateDirectory: context.startup.paths.stateDirectory)
        if let job = store.list().first(where: { $0.state == .running && $0.kind == .restore }) {
            let backupID = job.target?.backupID ?? job.id
            context.post(.backups(.restoreProgress(backupID: backupID, line: "following job \(job.id), started by \(job.startedBy)")))
            followRestore(job, backupID: backupID)
        }
        if let job = store.list().first(where: { $0.state == .running && $0.kind == .verify }) {
            let backupID = job.target?.backupID ?? job.id
            context.post(.backups(.verifyProgress(backupID: backupID, line: "following job \(job.id), started by \(job.startedBy)")))
            followVerify(job, backupID: backupID)
        }
    }

    func perform(_ effect: BackupsEffect) {
        let client = client
        let post = context.post
        let cache = BackupListingCache(stateDirectory: context.startup.paths.stateDirectory, pod: context.startup.settings.pod)
        switch effect {
        case .listOffline:
            // The cached copy at once, then a fresh listing from a one-off container.
            let lister = BackupOfflineLister(deployer: context.deployer)
            tasks.add(key: "offline", Task {
                if let cached = cache.load() {
                    post(.backups(.offlineListed(cached.listing, source: .cache(savedAt: cached.savedAt))))
                }
                do {
                    let (listing, line) = try await lister.listing()
                    cache.save(line, at: Date())
                    post(.backups(.offlineListed(listing, source: .oneOff(at: Date()))))
                } catch {
                    post(.backups(.offlineFailed(Self.describe(error))))
                }
            })
        case .refresh(let target):
            tasks.add(key: "refresh", Task {
                async let schedule = client.schedule(container: target.container)
                async let runs = client.runs(container: target.container)
                async let listing = client.listingWithLine(container: target.container)
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
            let audit = JobAuditLog(stateDirectory: context.startup.paths.stateDirectory)
            Task {
                do {
                    let outcome = try await client.trigger(container: target.container)
                    audit.record(action: "backup", target: target.container, result: Self.auditResult(outcome))
                    post(.backups(.triggered(outcome)))
                } catch {
                    audit.record(action: "backup", target: target.container, result: "failed to start: \(Self.describe(error))")
                    post(.backups(.failed("backup could not start: \(Self.describe(error))")))
                }
            }
        case .follow(let target, let runID):
            guard !tasks.contains("follow-\(runID)") else { return }
            tasks.add(key: "follow-\(runID)", Task { [tasks] in
                var problem: String? = "follow ended before the run recorded a result"
                var last: BackupRunRecord?
                do {
                    for try await record in client.follow(container: target.container, runID: runID) {
                        post(.backups(.runUpdated(record)))
                        last = record
                        if record.result != .running { problem = nil }
                    }
                } catch {
                    problem = Self.describe(error)
                }
                if problem != nil, last?.result != .succeeded && last?.result != .failed {
                    problem = await BackupInterruption.reason(podman: client.podman, container: target.container, last: last)
                }
                tasks.remove("follow-\(runID)")
                if !Task.isCancelled { post(.backups(.followEnded(runID: runID, problem: problem))) }
            })
        case .loadLog(let target, let runID):
            Task {
                do {
                    post(.backups(.logLoaded(runID: runID, lines: try await client.log(container: target.container, runID: runID))))
                } catch {
                    post(.backups(.failed("log of \(runID): \(Self.describe(error))")))
                }
            }
        case .planRestore(let target, let backupID):
            Task {
                do {
                    post(.backups(.planLoaded(try await client.plan(container: target.container, backupID: backupID))))
                } catch {
                    post(.backups(.failed("restore of \(backupID) refused: \(Self.describe(error))")))
                }
            }
        case .restore(_, let backupID):
            startJob(.restore, backupID: backupID) { runner, status in runner.followRestore(status, backupID: backupID) }
        case .verify(_, let backupID):
            startJob(.verify, backupID: backupID) { runner, status in runner.followVerify(status, backupID: backupID) }
        }
    }

    /// Starts a restore or verify as a detached job (`backup restore ID --yes`, `backup verify
    /// ID`): it outlives the console and its SSH session, one data job at a time. Once started,
    /// `follow` tails it.
    private func startJob(
        _ kind: JobKind, backupID: String, follow: @escaping @Sendable (BackupsEffectRunner, JobStatus) -> Void
    ) {
        let launcher = JobLauncher(stateDirectory: context.startup.paths.stateDirectory)
        let post = context.post
        tasks.add(key: "\(kind.rawValue)-start", Task.detached { [weak self] in
            let request = JobRequest(kind: kind, target: backupID)
            do throws(JobLaunchError) {
                let started = try launcher.start(request)
                post(.jobs(.started(started.status, notes: started.notes)))
                if let self { follow(self, started.status) }
            } catch {
                post(.jobs(.refused(request, reason: error.description)))
            }
        })
    }

    /// Shows a verify job's text lines as progress, then the result its event gives.
    private func followVerify(_ job: JobStatus, backupID: String) {
        let post = context.post
        let store = JobStore(stateDirectory: context.startup.paths.stateDirectory)
        tasks.add(key: "verify", Task.detached {
            var events = BackupJobEvents()
            for await line in JobLogFollower(store: store, id: job.id).lines() {
                switch JobLogLine(line) {
                case .event(let event): events.read(event)
                case .text(let text): if !text.isEmpty { post(.backups(.verifyProgress(backupID: backupID, line: text))) }
                }
            }
            if Task.isCancelled { return }
            let status = store.read(job.id) ?? job
            let (summary, problem) = events.verifyResult(status)
            post(.backups(.verifyEnded(backupID: backupID, summary: summary, problem: problem)))
        })
    }

    /// Shows a restore job's text lines as progress, its sidecar loads, and its end.
    private func followRestore(_ job: JobStatus, backupID: String) {
        let post = context.post
        let store = JobStore(stateDirectory: context.startup.paths.stateDirectory)
        tasks.add(key: "restore", Task.detached {
            var events = BackupJobEvents()
            for await line in JobLogFollower(store: store, id: job.id).lines() {
                switch JobLogLine(line) {
                case .event(let event):
                    events.read(event)
                    if case .sidecarLoaded(let service, let succeeded, let detail) = event {
                        post(.backups(.sidecarLoaded(BackupSidecarLoad(service: service, succeeded: succeeded, detail: detail))))
                    }
                case .text(let text): if !text.isEmpty { post(.backups(.restoreProgress(backupID: backupID, line: text))) }
                }
            }
            if Task.isCancelled { return }
            let status = store.read(job.id) ?? job
            post(.backups(.restoreEnded(backupID: backupID, problem: events.restoreProblem(status))))
        })
    }

    static func auditResult(_ outcome: BackupTriggerOutcome) -> String {
        switch outcome {
        case .started(let id): return "started run \(id)"
        case .busy(let running, let message): return "refused: busy\(running.map { " (\($0) runs)" } ?? ""): \(message)"
        case .failed(let code, let message): return "failed to start (exit \(code)): \(message)"
        }
    }

    /// The script's restore, then the RDB loads it left for the console; returns what failed.
    static func restore(
        _ backupID: String, target: BackupTarget, client: BackupClient, loader: BackupSidecarLoader,
        post: @Sendable (Action) -> Void
    ) async -> String? {
        var last: BackupRunRecord?
        do {
            for try await record in client.restore(container: target.container, backupID: backupID) {
                last = record
                post(.backups(.restoreUpdated(record)))
            }
        } catch {
            return Self.describe(error)
        }
        guard let last else { return "the restore reported nothing" }
        guard last.result == .succeeded else { return last.error ?? "exit \(last.exitCode ?? -1)" }
        var failures: [String] = []
        for action in last.pendingActions {
            let load = await loader.load(action, target: target)
            post(.backups(.sidecarLoaded(load)))
            if !load.succeeded { failures.append("\(load.service): \(load.detail)") }
        }
        if failures.isEmpty, !last.pendingActions.isEmpty {
            await loader.removeLeftovers(last.pendingActions, target: target)
        }
        return failures.isEmpty ? nil : failures.joined(separator: "; ")
    }

    static func describe(_ error: any Error) -> String {
        (error as? BackupClientError)?.message ?? "\(error)"
    }

    /// Called when the console closes. A detached backup keeps running in the container.
    func stop() {
        tasks.cancelAll()
    }
}

/// The runner's running tasks by key, so a run is followed once and everything stops on close.
private final class BackupTaskSet: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [String: Task<Void, Never>] = [:]

    func add(key: String, _ task: Task<Void, Never>) {
        lock.withLock { tasks[key] = task }
    }

    func contains(_ key: String) -> Bool {
        lock.withLock { tasks[key] != nil }
    }

    func remove(_ key: String) {
        lock.withLock { _ = tasks.removeValue(forKey: key) }
    }

    func cancelAll() {
        let all = lock.withLock { () -> [Task<Void, Never>] in
            defer { tasks.removeAll() }
            return Array(tasks.values)
        }
        all.forEach { $0.cancel() }
    }
}
