import Foundation
import OpsCore

/// Apply (`a` in the console, `opencode-ops apply`): recreates exactly the containers whose image,
/// settings or environment differ from what runs, keeping the pod and every volume. Each one is
/// replaced in turn; one that does not become healthy is put back as it was and apply stops.
public struct PodmanApplier: Sendable {
    public var deployer: PodmanDeployer
    /// Overrides the image's own start period + retries as the health deadline.
    public var healthDeadline: TimeInterval?

    public init(deployer: PodmanDeployer, healthDeadline: TimeInterval? = nil) {
        self.deployer = deployer
        self.healthDeadline = healthDeadline
    }

    private var client: PodmanClient { deployer.client }

    /// What would be recreated, and why. Refused when the pod is not up or is not ours.
    public func plan() async throws(PodmanFailure) -> (PodmanApplyPlan, PodmanBringUpPlan) {
        let (bringUp, _) = try deployer.plan()
        guard let pod = try await client.inspectPod(bringUp.podName) else {
            throw .commandFailed(command: "apply", exitCode: 1, detail: "pod \(bringUp.podName) is not up (u or `opencode-ops up` brings it up)")
        }
        guard pod.isManaged else { throw PodmanDeployer.foreign(pod) }
        var changes: [PodmanApplyChange] = []
        for spec in bringUp.containers {
            let reasons = try await reasons(for: spec, pod: bringUp.podName)
            if !reasons.isEmpty { changes.append(PodmanApplyChange(role: spec.role, container: spec.name, reasons: reasons)) }
        }
        return (PodmanApplyPlan(pod: bringUp.podName, changes: changes), bringUp)
    }

    private func reasons(for spec: PodmanContainerSpec, pod: String) async throws(PodmanFailure) -> [String] {
        guard let running = try await client.containerConfig(spec.name) else { return ["missing: it is created"] }
        let image = try await client.inspectImage(spec.image)
        let arguments = BringUpPlanner.containerCreateArguments(spec, pod: pod)
        let digest = arguments.first { $0.hasPrefix(ContainerDrift.specLabel + "=") }.map { String($0.dropFirst(ContainerDrift.specLabel.count + 1)) } ?? ""
        var reasons = ContainerDrift.reasons(
            spec: spec, running: running, imageID: image?.id, imageDefaults: image?.environmentDefaults ?? [:], digest: digest
        )
        if running.state != .running && reasons.isEmpty { reasons.append("not running (\(running.state.text))") }
        return reasons
    }

    /// Recreates the planned containers, sidecars first (OpenCode reads them at start), each
    /// waiting for health before the next. `progress` gets one line per step.
    public func apply(_ plan: PodmanApplyPlan, bringUp: PodmanBringUpPlan, progress: (String) -> Void) async throws(PodmanFailure) -> PodmanApplyOutcome {
        guard !plan.isEmpty else { return .unchanged }
        for volume in bringUp.volumes where try await !client.volumeExists(volume.name) {
            try await client.checked(BringUpPlanner.volumeCreateArguments(volume))
        }
        let order: [PodmanRole] = [.falkordb, .valkey, .opencode]
        var applied: [String] = []
        for role in order {
            guard plan.changes.contains(where: { $0.role == role }), let spec = bringUp.container(role: role) else { continue }
            try await client.ensureImage(spec)
            // The command refused to start during a backup; one started since (by cron) is waited for.
            let opencode = PodmanRole.opencode.containerName(pod: bringUp.podName)
            await BackupActivityCheck(client: BackupClient(podman: client), container: opencode).waitUntilIdle { holder in
                progress("waiting for \(holder.description) to end before recreating \(spec.name)")
            }
            progress("recreating \(spec.name)")
            let replacement = ContainerReplacement(client: client, pod: bringUp.podName, spec: spec)
            if let note = try await replacement.swap() { progress(note) }
            switch await deployer.waitForHealth(container: spec.name, deadline: healthDeadline) {
            case .healthy(let after):
                progress("\(spec.name) is healthy (after \(Int(after.rounded())) s)")
            case .runningWithoutHealthcheck:
                progress("\(spec.name) is running (its image has no health check)")
            case .notHealthy(let reason):
                progress("\(spec.name) is not healthy: \(reason); putting the old container back")
                try await replacement.revert()
                return .rolledBack(container: spec.name, reason: reason, applied: applied)
            }
            try await replacement.commit()
            applied.append(spec.name)
        }
        return .applied(containers: applied)
    }
}
