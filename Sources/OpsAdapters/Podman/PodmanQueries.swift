import Foundation
import OpsCore

/// Read-only questions to podman.
extension PodmanClient {
    /// The pod with every container inspected (state, health, start time); nil pod when absent.
    public func snapshot(pod name: String) async throws(PodmanFailure) -> PodSnapshot {
        guard var pod = try await inspectPod(name) else {
            return PodSnapshot(podName: name, pod: nil, takenAt: Date())
        }
        let ids = pod.containers.map(\.id)
        if !ids.isEmpty {
            // A container can vanish between the two calls; fall back to the pod's short view.
            let result = try await run(["container", "inspect", "--format", "json", "--"] + ids)
            if result.succeeded, let detailed = try? PodmanDecoder.containers(fromInspect: result.stdout) {
                let infra = Set(pod.containers.filter(\.isInfra).map(\.id))
                pod.containers = detailed.map { container in
                    var container = container
                    container.isInfra = container.isInfra || infra.contains(container.id)
                    return container
                }
            }
        }
        pod.containers.sort { ($0.isInfra ? 1 : 0, $0.name) < ($1.isInfra ? 1 : 0, $1.name) }
        return PodSnapshot(podName: name, pod: pod, takenAt: Date())
    }

    /// `podman pod inspect`; nil when there is no such pod.
    public func inspectPod(_ name: String) async throws(PodmanFailure) -> PodmanPod? {
        let result = try await run(["pod", "inspect", "--", name])
        if !result.succeeded {
            if Self.isNoSuchObject(result) { return nil }
            throw Self.failure(arguments: ["pod", "inspect"], result: result)
        }
        return try PodmanDecoder.pod(fromInspect: result.stdout)
    }

    /// Containers of one pod (or all, with `pod` nil) as `podman ps --all` lists them.
    public func listContainers(pod: String? = nil) async throws(PodmanFailure) -> [PodmanContainer] {
        var arguments = ["ps", "--all", "--format", "json"]
        if let pod { arguments += ["--filter", "pod=\(pod)"] }
        return try PodmanDecoder.containers(fromPS: try await checked(arguments).stdout)
    }

    /// `podman image inspect`; nil when the image is not in local storage.
    public func inspectImage(_ reference: String) async throws(PodmanFailure) -> PodmanImage? {
        let result = try await run(["image", "inspect", "--", reference])
        if !result.succeeded {
            if Self.isNoSuchObject(result) { return nil }
            throw Self.failure(arguments: ["image", "inspect"], result: result)
        }
        return try PodmanDecoder.images(fromInspect: result.stdout).first
    }

    public func imageExists(_ reference: String) async throws(PodmanFailure) -> Bool {
        try await exists(["image", "exists", "--", reference])
    }

    public func volumeExists(_ name: String) async throws(PodmanFailure) -> Bool {
        try await exists(["volume", "exists", "--", name])
    }

    public func containerExists(_ name: String) async throws(PodmanFailure) -> Bool {
        try await exists(["container", "exists", "--", name])
    }

    /// `podman ... exists`: exit 0 yes, 1 no, anything else an error.
    private func exists(_ arguments: [String]) async throws(PodmanFailure) -> Bool {
        let result = try await run(arguments)
        switch result.exitCode {
        case 0: return true
        case 1: return false
        default: throw Self.failure(arguments: arguments, result: result)
        }
    }

    static func isNoSuchObject(_ result: ProcessResult) -> Bool {
        let text = result.stderrText.lowercased()
        return text.contains("no such") || text.contains("not found") || text.contains("image not known")
    }
}
