import Foundation
import OpsCore

/// Rebuild-and-replace (`b` in the console, `opencode-ops rebuild`): build a new image; only if
/// that succeeds, keep the running image as `:previous`, give the new one the configured name,
/// replace the OpenCode container (volumes kept) and wait for it to become healthy. When it
/// does not, the outcome says so and `rollback()` puts the previous image back.
public struct PodmanRebuilder: Sendable {
    public var deployer: PodmanDeployer
    public var builder: PodmanBuilder
    /// Overrides the image's own start period + retries as the health deadline.
    public var healthDeadline: TimeInterval?

    public init(deployer: PodmanDeployer, builder: PodmanBuilder, healthDeadline: TimeInterval? = nil) {
        self.deployer = deployer
        self.builder = builder
        self.healthDeadline = healthDeadline
    }

    private var client: PodmanClient { deployer.client }
    private var image: String { deployer.settings.image }
    private var containerName: String { PodmanRole.opencode.containerName(pod: deployer.settings.pod) }

    /// `repo:previous` for `repo:tag` (a digest is dropped; a missing tag counts as `latest`).
    public static func previousTag(for image: String) -> String {
        PodmanImageReference.previousTag(for: image)
    }

    public var previousTag: String { Self.previousTag(for: image) }

    /// For the confirmation dialog: what a rebuild will replace.
    public func replacementSummary() async -> String {
        let container = try? await client.snapshotContainer(containerName)
        guard let container else {
            return "builds \(builder.containerfilePath) as \(image); the pod is not up, so nothing is replaced"
        }
        return "builds \(builder.containerfilePath) as \(image) and replaces container \(container.name) "
            + "(image \(container.image), \(container.imageID.prefix(12))); volumes are kept, the old image stays as \(previousTag)"
    }

    /// Starts a rebuild. Cancel stops the build; once the build has succeeded the replacement
    /// runs to its end (stopping half-way would leave no container at all).
    public func rebuild() -> PodmanJob<PodmanRebuildUpdate> {
        let (stream, continuation) = AsyncStream<PodmanRebuildUpdate>.makeStream(bufferingPolicy: .unbounded)
        let build = builder.build(tag: nil)
        let task = Task {
            continuation.yield(.phase(.building))
            var outcome: PodmanBuildOutcome = .cancelled(duration: 0)
            for await update in build.updates {
                continuation.yield(.build(update))
                if case .finished(let finished) = update { outcome = finished }
            }
            do throws(PodmanFailure) {
                continuation.yield(.finished(try await replace(after: outcome, continuation: continuation)))
            } catch {
                continuation.yield(.failed(error))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return PodmanJob(updates: stream, onCancel: { build.cancel() })
    }

    /// Puts the `:previous` image back under the configured name and replaces the container again.
    public func rollback() async throws(PodmanFailure) -> PodmanRebuildOutcome {
        guard let previous = try await client.inspectImage(previousTag) else { throw .noPreviousImage(tag: previousTag) }
        try await client.checked(["tag", "--", previous.id, image])
        let name = try await deployer.replace(role: .opencode)
        switch await deployer.waitForHealth(container: name, deadline: healthDeadline) {
        case .healthy: return .replaced(container: name, imageID: previous.id, healthy: true)
        case .runningWithoutHealthcheck: return .replaced(container: name, imageID: previous.id, healthy: false)
        case .notHealthy(let reason): return .notHealthy(container: name, imageID: previous.id, reason: reason, previousTag: nil)
        }
    }

    private func replace(
        after outcome: PodmanBuildOutcome, continuation: AsyncStream<PodmanRebuildUpdate>.Continuation
    ) async throws(PodmanFailure) -> PodmanRebuildOutcome {
        guard case .succeeded(let newID, _, _) = outcome else { return .buildFailed(outcome) }
        let running = try await client.snapshotContainer(containerName)
        let pod = try await client.inspectPod(deployer.settings.pod)
        let oldID: String?
        if let running, !running.imageID.isEmpty {
            oldID = running.imageID
        } else {
            oldID = try await client.inspectImage(image)?.id
        }
        var keptPrevious: String?
        if let oldID, oldID != newID {
            continuation.yield(.phase(.keepingPrevious(previousTag: previousTag)))
            try await client.checked(["tag", "--", oldID, previousTag])
            keptPrevious = previousTag
        }
        try await client.checked(["tag", "--", newID, image])
        guard let pod, pod.isManaged, running != nil else { return .builtOnly(imageID: newID) }
        // The rebuild refused to start during a backup; one started since (by cron) is waited for.
        await BackupActivityCheck(client: BackupClient(podman: client), container: containerName).waitUntilIdle { holder in
            continuation.yield(.phase(.waitingForBackup(run: holder.description)))
        }
        continuation.yield(.phase(.replacing(container: containerName)))
        let name = try await deployer.replace(role: .opencode)
        var deadline = healthDeadline ?? 0
        if healthDeadline == nil, let check = try await client.inspectImage(newID)?.healthcheck { deadline = check.healthDeadline }
        continuation.yield(.phase(.waitingForHealth(container: name, deadline: deadline)))
        switch await deployer.waitForHealth(container: name, deadline: healthDeadline) {
        case .healthy: return .replaced(container: name, imageID: newID, healthy: true)
        case .runningWithoutHealthcheck: return .replaced(container: name, imageID: newID, healthy: false)
        case .notHealthy(let reason):
            return .notHealthy(container: name, imageID: newID, reason: reason, previousTag: keptPrevious)
        }
    }
}
