import Foundation
import OpsAdapters
import OpsCore

/// Runs pod effects with the podman adapter, and posts what comes back as actions. Pod state
/// comes from `PodmanWatch` (events, not polling); a clock posts a tick a minute for uptimes.
final class PodEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = TaskBag()

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens.
    func start() {
        let post = context.post
        let watch = PodmanWatch(client: context.podmanClient, pod: context.startup.settings.pod)
        tasks.add(Task.detached {
            for await update in watch.updates() {
                post(.pod(.watch(update)))
            }
        })
        tasks.add(Task.detached {
            // Uptimes are shown in minutes: a tick a minute keeps them right at ~10 bytes a minute.
            while !Task.isCancelled {
                post(.pod(.tick(Date())))
                try? await Task.sleep(nanoseconds: 60_000_000_000)
            }
        })
    }

    func perform(_ effect: PodEffect) {
        let post = context.post
        let deployer = context.deployer
        let pod = context.startup.settings.pod
        switch effect {
        case .up:
            let audit = audit
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    let result = try await deployer.up()
                    audit.record(action: "up", target: pod, result: "succeeded")
                    post(.pod(.upFinished(.success(result))))
                } catch {
                    audit.record(action: "up", target: pod, result: "failed: \(error.message)")
                    post(.pod(.upFinished(.failure(error))))
                }
            })
        case .down:
            let audit = audit
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    let result = try await deployer.down()
                    audit.record(action: "down", target: pod, result: "succeeded")
                    post(.pod(.downFinished(.success(result))))
                } catch {
                    audit.record(action: "down", target: pod, result: "failed: \(error.message)")
                    post(.pod(.downFinished(.failure(error))))
                }
            })
        case .rollback:
            // A detached job, like a rebuild: it outlives the console; the launcher and the job
            // record it in the audit log.
            ImageJob.start(.rollback, context: context, tasks: tasks, slot: nil)
        case .restart(let container):
            let audit = audit
            guard let role = PodmanRole.allCases.first(where: { $0.containerName(pod: pod) == container }) else { return }
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    try await deployer.restart(role: role)
                    audit.record(action: "restart", target: container, result: "succeeded")
                    post(.pod(.restartFinished(container: container, problem: nil)))
                } catch {
                    audit.record(action: "restart", target: container, result: "failed: \(error.message)")
                    post(.pod(.restartFinished(container: container, problem: error.message)))
                }
            })
        case .planApply:
            let applier = PodmanApplier(deployer: deployer)
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    post(.pod(.applyPlanned(.success(try await applier.plan().0))))
                } catch {
                    post(.pod(.applyPlanned(.failure(error))))
                }
            })
        }
    }

    /// Direct changes (up, down) go to the audit log with their result.
    private var audit: JobAuditLog { JobAuditLog(stateDirectory: context.startup.paths.stateDirectory) }

    /// Called when the console closes.
    func stop() {
        tasks.cancelAll()
    }
}

/// The podman adapters built from the console's settings and paths, the same way the
/// subcommands build them.
extension ConsoleContext {
    var podmanClient: PodmanClient { PodmanClient(settings: startup.settings) }

    var secrets: SecretsFileCheck {
        SecretsFileCheck(
            path: startup.paths.secretsFile(for: startup.settings),
            isDefault: startup.settings.envFile.trimmingCharacters(in: .whitespaces).isEmpty
        )
    }

    var deployer: PodmanDeployer { PodmanDeployer(client: podmanClient, settings: startup.settings, secrets: secrets) }

    var buildHistory: PodmanBuildHistory { PodmanBuildHistory(stateDirectory: startup.paths.stateDirectory) }

    var builder: PodmanBuilder { PodmanBuilder(client: podmanClient, settings: startup.settings, history: buildHistory) }

    var rebuilder: PodmanRebuilder { PodmanRebuilder(deployer: deployer, builder: builder) }
}

/// Tasks a runner started, so `stop()` can cancel them all.
final class TaskBag: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func add(_ task: Task<Void, Never>) {
        lock.withLock {
            tasks.removeAll { $0.isCancelled }
            tasks.append(task)
        }
    }

    func cancelAll() {
        let all = lock.withLock { defer { tasks.removeAll() }; return tasks }
        all.forEach { $0.cancel() }
    }
}
