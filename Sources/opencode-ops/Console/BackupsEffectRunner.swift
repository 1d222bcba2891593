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

    /// Called once when the console opens: follows the pod through podman's events (no polling)
    /// to know when the OpenCode container that runs the scripts is up.
    func start() {
        let watch = PodmanWatch(client: podman, pod: context.startup.settings.pod)
        let post = context.post
        tasks.add(key: "watch", Task {
            for await update in watch.updates() {
                switch update {
                case .snapshot(let snapshot):
                    let (target, reason) = BackupTargetFinder.target(in: snapshot)
                    post(.backups(.podChanged(target, reason: reason)))
                case .failed(let failure):
                    post(.backups(.podChanged(nil, reason: failure.message)))
                default:
                    break
                }
            }
        })
    }

    func perform(_ effect: BackupsEffect) {
        let client = client
        let post = context.post
        switch effect {
        case .refresh(let target):
            tasks.add(key: "refresh", Task {
                async let schedule = client.schedule(container: target.container)
                async let runs = client.runs(container: target.container)
                async let listing = client.listing(container: target.container)
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
                    post(.backups(.listingLoaded(try await listing)))
                } catch {
                    post(.backups(.listingFailed(Self.describe(error))))
                }
            })
        case .trigger(let target):
            Task {
                do {
                    post(.backups(.triggered(try await client.trigger(container: target.container))))
                } catch {
                    post(.backups(.failed("backup could not start: \(Self.describe(error))")))
                }
            }
        case .follow(let target, let runID):
            guard !tasks.contains("follow-\(runID)") else { return }
            tasks.add(key: "follow-\(runID)", Task { [tasks] in
                var problem: String? = "follow ended before the run recorded a result"
                do {
                    for try await record in client.follow(container: target.container, runID: runID) {
                        post(.backups(.runUpdated(record)))
                        if record.result != .running { problem = nil }
                    }
                } catch {
                    problem = Self.describe(error)
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
        case .restore(let target, let backupID):
            let loader = BackupSidecarLoader(podman: podman)
            tasks.add(key: "restore", Task {
                let problem = await Self.restore(backupID, target: target, client: client, loader: loader, post: post)
                post(.backups(.restoreEnded(backupID: backupID, problem: problem)))
            })
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
