import Foundation
import OpsAdapters
import OpsCore

/// What the pod and build runners need from podman: bring the pod up or down, restart one
/// container, plan an apply, watch the pod's events, follow a container's log, and the builds
/// made so far.
public protocol PodControl: Sendable {
    func up() async throws(PodmanFailure) -> PodmanBringUpResult
    func down() async throws(PodmanFailure) -> PodmanTearDownResult
    func restart(role: PodmanRole) async throws(PodmanFailure)
    func planApply() async throws(PodmanFailure) -> PodmanApplyPlan
    func watch() -> AsyncStream<PodmanWatchUpdate>
    /// Follows `container`'s log for a view that keeps `keep` lines; returns how to stop.
    func followLog(
        container: String, tail: Int, keep: Int, onReady: @escaping @Sendable (LineTail<PodmanLogLine>) -> Void
    ) -> @Sendable () -> Void
    func buildHistory() -> [PodmanBuildRecord]
}

/// Podman as the subcommands use it, built from the console's settings.
public struct LivePodControl: PodControl {
    let settings: Settings
    let paths: AppPaths

    public init(settings: Settings, paths: AppPaths) {
        self.settings = settings
        self.paths = paths
    }

    var client: PodmanClient { PodmanClient(settings: settings) }

    var deployer: PodmanDeployer {
        let secrets = SecretsFileCheck(
            path: paths.secretsFile(for: settings),
            isDefault: settings.envFile.trimmingCharacters(in: .whitespaces).isEmpty
        )
        return PodmanDeployer(client: client, settings: settings, secrets: secrets)
    }

    public func up() async throws(PodmanFailure) -> PodmanBringUpResult { try await deployer.up() }

    public func down() async throws(PodmanFailure) -> PodmanTearDownResult { try await deployer.down() }

    public func restart(role: PodmanRole) async throws(PodmanFailure) { _ = try await deployer.restart(role: role) }

    public func planApply() async throws(PodmanFailure) -> PodmanApplyPlan {
        try await PodmanApplier(deployer: deployer).plan().0
    }

    public func watch() -> AsyncStream<PodmanWatchUpdate> { PodmanWatch(client: client, pod: settings.pod).updates() }

    public func followLog(
        container: String, tail: Int, keep: Int, onReady: @escaping @Sendable (LineTail<PodmanLogLine>) -> Void
    ) -> @Sendable () -> Void {
        // Timestamps on: the view hides them, a saved log keeps them.
        PodmanLogs(client: client).follow(container: container, tail: tail, keep: keep, timestamps: true, onReady: onReady)
    }

    public func buildHistory() -> [PodmanBuildRecord] {
        PodmanBuildHistory(stateDirectory: paths.stateDirectory).records()
    }
}
