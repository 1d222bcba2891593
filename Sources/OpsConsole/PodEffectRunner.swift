import Foundation
import OpsAdapters
import OpsCore

/// Runs pod effects with the podman adapter, and posts what comes back as actions. Pod state
/// comes from the events watch (not polling); a clock posts a tick a minute for uptimes. Both
/// start when `update` asks (`.watch`, `.clock`, as the console opens).
public final class PodEffectRunner: Sendable {
    let context: ConsoleContext
    private let tasks = TaskHolder()

    public init(context: ConsoleContext) {
        self.context = context
    }

    public func perform(_ effect: PodEffect) {
        let post = context.post
        let pod = context.pod
        let jobs = context.jobs
        let name = context.startup.settings.pod
        switch effect {
        case .watch:
            tasks.replace("watch", with: Task.detached {
                for await update in pod.watch() {
                    post(.pod(.watch(update)))
                }
            })
        case .clock:
            tasks.replace("clock", with: Task.detached {
                // Uptimes are shown in minutes: a tick a minute keeps them right at ~10 bytes a minute.
                while !Task.isCancelled {
                    post(.pod(.tick(Date())))
                    try? await Task.sleep(nanoseconds: 60_000_000_000)
                }
            })
        case .up:
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    let result = try await pod.up()
                    jobs.record(action: "up", target: name, result: "succeeded")
                    post(.pod(.upFinished(.success(result))))
                } catch {
                    jobs.record(action: "up", target: name, result: "failed: \(error.message)")
                    post(.pod(.upFinished(.failure(error))))
                }
            })
        case .down:
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    let result = try await pod.down()
                    jobs.record(action: "down", target: name, result: "succeeded")
                    post(.pod(.downFinished(.success(result))))
                } catch {
                    jobs.record(action: "down", target: name, result: "failed: \(error.message)")
                    post(.pod(.downFinished(.failure(error))))
                }
            })
        case .restart(let container):
            guard let role = PodmanRole.allCases.first(where: { $0.containerName(pod: name) == container }) else { return }
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    try await pod.restart(role: role)
                    jobs.record(action: "restart", target: container, result: "succeeded")
                    post(.pod(.restartFinished(container: container, problem: nil)))
                } catch {
                    jobs.record(action: "restart", target: container, result: "failed: \(error.message)")
                    post(.pod(.restartFinished(container: container, problem: error.message)))
                }
            })
        case .planApply:
            tasks.add(Task.detached {
                do throws(PodmanFailure) {
                    post(.pod(.applyPlanned(.success(try await pod.planApply()))))
                } catch {
                    post(.pod(.applyPlanned(.failure(error))))
                }
            })
        }
    }

    /// Called when the console closes.
    public func stop() {
        tasks.cancelAll()
    }
}
