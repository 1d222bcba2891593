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
            audited("up", target: name, { () async throws(PodmanFailure) in try await pod.up() }) { .pod(.upFinished($0)) }
        case .down:
            audited("down", target: name, { () async throws(PodmanFailure) in try await pod.down() }) { .pod(.downFinished($0)) }
        case .restart(let container):
            guard let role = PodmanRole.allCases.first(where: { $0.containerName(pod: name) == container }) else { return }
            audited("restart", target: container, { () async throws(PodmanFailure) in try await pod.restart(role: role) }) { result in
                guard case .failure(let failure) = result else { return .pod(.restartFinished(container: container, problem: nil)) }
                return .pod(.restartFinished(container: container, problem: failure.message))
            }
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

    /// Runs a direct change (up, down, restart), records how it ended in the audit log, and
    /// posts its result.
    private func audited<Value: Sendable>(
        _ action: String, target: String, _ change: @escaping @Sendable () async throws(PodmanFailure) -> Value,
        finished: @escaping @Sendable (Result<Value, PodmanFailure>) -> Action
    ) {
        let jobs = context.jobs
        let post = context.post
        tasks.add(Task.detached {
            do throws(PodmanFailure) {
                let value = try await change()
                jobs.record(action: action, target: target, result: "succeeded")
                post(finished(.success(value)))
            } catch {
                jobs.record(action: action, target: target, result: "failed: \(error.message)")
                post(finished(.failure(error)))
            }
        })
    }

    /// Called when the console closes.
    public func stop() {
        tasks.cancelAll()
    }
}
