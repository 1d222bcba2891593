import Foundation
import OpsCore

/// Brings the pod up and down, and replaces the OpenCode container: the code paths shared by
/// the console and the `up`, `down`, `rebuild` subcommands.
public struct PodmanDeployer: Sendable {
    public var client: PodmanClient
    public var settings: Settings
    public var secrets: SecretsFileCheck
    public var options: PodmanDeployOptions

    public init(client: PodmanClient, settings: Settings, secrets: SecretsFileCheck, options: PodmanDeployOptions = PodmanDeployOptions()) {
        self.client = client
        self.settings = settings
        self.secrets = secrets
        self.options = options
    }

    /// The plan with the secrets file validated, plus warnings about it.
    public func plan() throws(PodmanFailure) -> (PodmanBringUpPlan, [String]) {
        for (field, image) in [("image", settings.image), ("falkordb_image", settings.falkordbImage), ("valkey_image", settings.valkeyImage)] {
            if let problem = ImageReference.problem(image) { throw .invalidSetting(field: field, reason: problem) }
        }
        let (envFile, warnings) = try secrets.validate()
        let values = try secretValues(envFile)
        let access = try checkAccess(values)
        var plan = BringUpPlanner.plan(settings: settings, envFile: envFile, options: options)
        // Each sidecar gets only its own password, through the same private env file as the
        // config's variables: never the whole secrets file, never a command line.
        for index in plan.containers.indices {
            if let name = SidecarLaunch.passwordVariable[plan.containers[index].role], let value = values[name], !value.isEmpty {
                plan.containers[index].environment[name] = value
            }
        }
        return (plan, warnings + access)
    }

    /// Creates and starts what is missing. A running pod is left as is; a pod of our name that
    /// we did not make is refused and never touched.
    public func up() async throws(PodmanFailure) -> PodmanBringUpResult {
        _ = try await client.version()
        let (plan, warnings) = try plan()
        if let existing = try await client.inspectPod(plan.podName) {
            return try await complete(existing, plan: plan, warnings: warnings)
        }
        if !client.isRemote, case .inUse(let owner) = PortProbe.status(address: plan.bindAddress, port: plan.hostPort) {
            throw .portInUse(address: plan.bindAddress, port: plan.hostPort, owner: owner)
        }
        for spec in plan.containers { try await client.ensureImage(spec) }
        try await ensureVolumes(plan)
        try await client.checked(BringUpPlanner.podCreateArguments(plan))
        do {
            for spec in plan.containers {
                try await client.createContainer(spec, pod: plan.podName)
            }
            try await client.checked(["pod", "start", "--", plan.podName])
        } catch {
            // Our own half-made pod is removed so the next `up` starts clean; volumes stay.
            _ = try? await client.run(["pod", "rm", "--force", "--time", "\(options.stopTimeout)", "--", plan.podName])
            throw error
        }
        return .started(pod: plan.podName, containers: plan.containers.map(\.name), warnings: warnings)
    }

    /// Removes the pod and its containers; the named volumes are kept.
    public func down() async throws(PodmanFailure) -> PodmanTearDownResult {
        let name = settings.pod
        guard let pod = try await client.inspectPod(name) else { return .notPresent(pod: name) }
        guard pod.isManaged else { throw Self.foreign(pod) }
        try await client.checked(["pod", "rm", "--force", "--time", "\(options.stopTimeout)", "--", name])
        var kept: [String] = []
        for volume in PodmanVolumes.all(pod: name) where try await client.volumeExists(volume) {
            kept.append(volume)
        }
        return .removed(pod: name, containers: pod.workloadContainers.map(\.name), keptVolumes: kept)
    }

    /// Replaces one container of the running pod with one made from the plan (with the image the
    /// settings name now), keeping its volumes and backup history; returns the new container's name.
    @discardableResult
    public func replace(role: PodmanRole) async throws(PodmanFailure) -> String {
        let (plan, _) = try plan()
        guard let pod = try await client.inspectPod(plan.podName) else {
            throw .commandFailed(command: "replace", exitCode: 1, detail: "pod \(plan.podName) is not up")
        }
        guard pod.isManaged else { throw Self.foreign(pod) }
        guard let spec = plan.container(role: role) else { return "" }
        let replacement = ContainerReplacement(client: client, pod: plan.podName, spec: spec)
        try await replacement.swap()
        try await replacement.commit()
        return spec.name
    }

    /// Restarts one container of our pod (`podman restart`): the same container with the same
    /// volumes, stopped within the stop timeout and started again. Returns its name.
    @discardableResult
    public func restart(role: PodmanRole) async throws(PodmanFailure) -> String {
        let name = role.containerName(pod: settings.pod)
        guard let pod = try await client.inspectPod(settings.pod) else {
            throw .commandFailed(command: "restart", exitCode: 1, detail: "pod \(settings.pod) is not up")
        }
        guard pod.isManaged else { throw Self.foreign(pod) }
        guard pod.container(role: role) != nil else {
            throw .commandFailed(command: "restart", exitCode: 1, detail: "\(name) does not exist in pod \(settings.pod)")
        }
        try await client.checked(["restart", "--time", "\(options.stopTimeout)", "--", name])
        return name
    }

    /// Waits until `container` is healthy, runs its health check itself (podman only schedules
    /// checks through systemd, which not every host has), and gives up after the image's start
    /// period plus its retries, or `deadline` when given.
    public func waitForHealth(container: String, deadline: TimeInterval? = nil) async -> PodmanHealthWait {
        let started = Date()
        let inspected = try? await client.run(["container", "inspect", "--format", "json", "--", container])
        let imageID = inspected.flatMap { try? PodmanDecoder.containers(fromInspect: $0.stdout).first?.imageID }
        let image = imageID.flatMap { $0.isEmpty ? nil : $0 }
        let check: PodmanHealthcheck?
        if let image, let found = try? await client.inspectImage(image) { check = found.healthcheck } else { check = nil }
        guard let check else {
            let running = (try? await client.snapshotContainer(container))?.state == .running
            return running ? .runningWithoutHealthcheck : .notHealthy(reason: "\(container) is not running")
        }
        let limit = deadline ?? check.healthDeadline
        let pause = min(max(check.interval, 0.5), 5)
        var lastOutput = ""
        while true {
            if Task.isCancelled { return .notHealthy(reason: "cancelled") }
            if let result = try? await client.run(["healthcheck", "run", "--", container]) {
                if result.exitCode == 0 { return .healthy(after: Date().timeIntervalSince(started)) }
                lastOutput = PodmanClient.lastErrorLine(result.stdoutText + "\n" + result.stderrText) ?? lastOutput
                if result.exitCode != 1, let state = try? await client.snapshotContainer(container), state.state != .running {
                    let code = state.exitCode.map { " (exit \($0))" } ?? ""
                    return .notHealthy(reason: "\(container) is \(state.state.text)\(code)")
                }
            }
            let elapsed = Date().timeIntervalSince(started)
            if elapsed >= limit {
                let detail = lastOutput.isEmpty ? "" : ": \(lastOutput)"
                return .notHealthy(reason: "\(container) not healthy after \(Int(elapsed.rounded())) s\(detail)")
            }
            try? await Task.sleep(nanoseconds: UInt64(min(pause, limit - elapsed + 0.1) * 1e9))
        }
    }

    /// A managed pod exists: start what is stopped, create what is missing.
    private func complete(_ pod: PodmanPod, plan: PodmanBringUpPlan, warnings: [String]) async throws(PodmanFailure) -> PodmanBringUpResult {
        guard pod.isManaged else { throw Self.foreign(pod) }
        let present = Set(pod.containers.map(\.name))
        let missing = plan.containers.filter { !present.contains($0.name) }
        let allRunning = pod.containers.allSatisfy { $0.state == .running }
        if missing.isEmpty && allRunning && pod.state == .running {
            return .alreadyUp(pod: plan.podName, warnings: warnings)
        }
        for spec in missing { try await client.ensureImage(spec) }
        try await ensureVolumes(plan)
        for spec in missing {
            try await client.createContainer(spec, pod: plan.podName)
        }
        try await client.checked(["pod", "start", "--", plan.podName])
        let started = pod.workloadContainers.filter { $0.state != .running }.map(\.name) + missing.map(\.name)
        return .started(pod: plan.podName, containers: started, warnings: warnings)
    }

    /// Creates one container; the config's environment travels in a private env file that is
    /// removed once podman has read it.

    private func ensureVolumes(_ plan: PodmanBringUpPlan) async throws(PodmanFailure) {
        for volume in plan.volumes where try await !client.volumeExists(volume.name) {
            try await client.checked(BringUpPlanner.volumeCreateArguments(volume))
        }
    }

    /// Names the console's keys and the subcommand: the same message reaches both.
    public static let buildHint = "build it first: `b` or `:build` in the console, `opencode-ops build` from a shell"

    static func foreign(_ pod: PodmanPod) -> PodmanFailure {
        .foreignPod(name: pod.name, containers: pod.workloadContainers.map { $0.name.isEmpty ? String($0.id.prefix(12)) : $0.name })
    }
}

extension PodmanClient {
    /// The spec's image in local storage: a sidecar's is pulled, OpenCode's must be built.
    func ensureImage(_ spec: PodmanContainerSpec) async throws(PodmanFailure) {
        guard try await !imageExists(spec.image) else { return }
        if spec.role == .opencode {
            throw .imageMissing(image: spec.image, hint: PodmanDeployer.buildHint)
        }
        let pull = try await run(["pull", "--", spec.image])
        if !pull.succeeded {
            let detail = PodmanClient.lastErrorLine(pull.stderrText) ?? "exit \(pull.exitCode)"
            throw .imageMissing(image: spec.image, hint: "podman pull failed: \(detail)")
        }
    }

    /// `podman create` for one container of the pod; its config `environment:` goes in a
    /// private env file that is removed once podman has read it.
    public func createContainer(_ spec: PodmanContainerSpec, pod: String) async throws(PodmanFailure) {
        let environmentFile = try ConfigEnvironmentFile.write(spec.environment)
        defer { ConfigEnvironmentFile.remove(environmentFile) }
        try await checked(BringUpPlanner.containerCreateArguments(spec, pod: pod, environmentFile: environmentFile))
    }

    /// One container, inspected; nil when it does not exist.
    public func snapshotContainer(_ name: String) async throws(PodmanFailure) -> PodmanContainer? {
        let result = try await run(["container", "inspect", "--format", "json", "--", name])
        guard result.succeeded else { return nil }
        return try PodmanDecoder.containers(fromInspect: result.stdout).first
    }
}
