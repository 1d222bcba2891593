import Foundation
import OpsCore

/// What a container was created with, from `podman container inspect`: the parts apply compares
/// with the plan and a replacement needs (environment, volumes, labels, image).
public struct PodmanContainerConfig: Equatable, Sendable {
    public var name: String
    /// The image reference as given at create time.
    public var imageName: String
    public var imageID: String
    public var state: PodmanContainerState
    public var environment: [String: String]
    /// Named volumes only (bind mounts and anonymous volumes are not ours).
    public var mounts: [PodmanMount]
    public var labels: [String: String]

    public init(
        name: String, imageName: String = "", imageID: String = "", state: PodmanContainerState = .running,
        environment: [String: String] = [:], mounts: [PodmanMount] = [], labels: [String: String] = [:]
    ) {
        self.name = name
        self.imageName = imageName
        self.imageID = imageID
        self.state = state
        self.environment = environment
        self.mounts = mounts
        self.labels = labels
    }

    public func mount(at path: String) -> PodmanMount? {
        mounts.first { $0.path == path }
    }

    private struct Inspect: Decodable {
        struct Config: Decodable {
            var Env: [String]?
            var Labels: [String: String]?
        }
        struct Mount: Decodable {
            var `Type`: String?
            var Name: String?
            var Destination: String?
        }
        struct State: Decodable { var Status: String? }
        var Name: String?
        var ImageName: String?
        var Image: String?
        var State: State?
        var Config: Config?
        var Mounts: [Mount]?
    }

    /// The first container of an inspect answer.
    public static func decode(inspect data: Data) throws(PodmanFailure) -> PodmanContainerConfig? {
        let entries: [Inspect]
        do {
            entries = try JSONDecoder().decode([Inspect].self, from: data)
        } catch {
            throw .unexpectedOutput(command: "podman container inspect", detail: "\(error)")
        }
        guard let entry = entries.first else { return nil }
        var environment: [String: String] = [:]
        for pair in entry.Config?.Env ?? [] {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let mounts = (entry.Mounts ?? []).compactMap { mount -> PodmanMount? in
            guard mount.Type == "volume", let name = mount.Name, let path = mount.Destination else { return nil }
            return PodmanMount(volume: name, path: path)
        }
        return PodmanContainerConfig(
            name: entry.Name ?? "", imageName: entry.ImageName ?? "", imageID: entry.Image ?? "",
            state: PodmanContainerState(podmanText: entry.State?.Status ?? ""),
            environment: environment, mounts: mounts, labels: entry.Config?.Labels ?? [:]
        )
    }
}

extension PodmanClient {
    /// One container's creation settings; nil when it does not exist.
    public func containerConfig(_ name: String) async throws(PodmanFailure) -> PodmanContainerConfig? {
        let result = try await run(["container", "inspect", "--format", "json", "--", name])
        guard result.succeeded else { return nil }
        return try PodmanContainerConfig.decode(inspect: result.stdout)
    }
}
