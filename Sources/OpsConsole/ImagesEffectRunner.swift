import Foundation
import OpsAdapters
import OpsCore

/// Lists the project's images and podman's storage, and prunes; posts the results as actions.
public final class ImagesEffectRunner: Sendable {
    let context: ConsoleContext

    public init(context: ConsoleContext) {
        self.context = context
    }

    public func perform(_ effect: ImagesEffect) {
        let client = PodmanClient(settings: context.startup.settings)
        let post = context.post
        let jobs = context.jobs
        switch effect {
        case .list(let reference, let pod):
            Task.detached {
                do throws(PodmanFailure) {
                    post(.images(.listed(.success(try await client.imageInventory(reference: reference, pod: pod)))))
                } catch {
                    post(.images(.listed(.failure(error))))
                }
            }
        case .prune(let ids, let reference, let pod):
            Task.detached {
                do throws(PodmanFailure) {
                    let outcome = try await client.prune(ids: ids, reference: reference, pod: pod)
                    jobs.record(action: "prune", target: reference, result: outcome.summary)
                    post(.images(.pruned(.success(outcome))))
                } catch {
                    jobs.record(action: "prune", target: reference, result: "failed: \(error.message)")
                    post(.images(.pruned(.failure(error))))
                }
            }
        }
    }
}
