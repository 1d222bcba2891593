import Foundation
import OpsCore

/// Replaces one container of the pod with a new one made from `spec`. The old container is
/// stopped and set aside as `<name>-replaced` rather than removed, so a replacement that fails
/// (or, for apply, does not become healthy) can put it back. Backup history an old OpenCode
/// container kept in its own layer (pods made before the backup-state volume) is copied into the
/// volume before the new container starts.
public struct ContainerReplacement: Sendable {
    public var client: PodmanClient
    public var pod: String
    public var spec: PodmanContainerSpec

    public init(client: PodmanClient, pod: String, spec: PodmanContainerSpec) {
        self.client = client
        self.pod = pod
        self.spec = spec
    }

    public static func asideName(_ name: String) -> String { name + "-replaced" }

    private var aside: String { Self.asideName(spec.name) }

    /// Stops and sets the old container aside, then creates and starts the new one. On a failure
    /// the old one is put back and started before the error is thrown. Returns the note about
    /// carried backup history, if any was carried.
    @discardableResult
    public func swap() async throws(PodmanFailure) -> String? {
        // A replacement interrupted earlier may have left the old container aside and no new one.
        if try await !client.containerExists(spec.name), try await client.containerExists(aside) {
            try await client.checked(["rename", "--", aside, spec.name])
        }
        if try await client.containerExists(aside) {
            try await client.checked(["rm", "--force", "--time", "0", "--", aside])
        }
        let old = try await client.containerConfig(spec.name)
        if old != nil {
            try await client.checked(["stop", "--time", "\(spec.stopTimeout)", "--", spec.name])
            try await client.checked(["rename", "--", spec.name, aside])
        }
        do throws(PodmanFailure) {
            try await client.createContainer(spec, pod: pod)
            let note = try await carryBackupState(from: old)
            try await client.checked(["start", "--", spec.name])
            return note
        } catch {
            if old != nil { try? await revert() }
            throw error
        }
    }

    /// The new container stays: the old one is removed.
    public func commit() async throws(PodmanFailure) {
        if try await client.containerExists(aside) {
            try await client.checked(["rm", "--force", "--time", "0", "--", aside])
        }
    }

    /// The new container goes and the old one comes back, started.
    public func revert() async throws(PodmanFailure) {
        guard try await client.containerExists(aside) else { return }
        if try await client.containerExists(spec.name) {
            try await client.checked(["rm", "--force", "--time", "\(spec.stopTimeout)", "--", spec.name])
        }
        try await client.checked(["rename", "--", aside, spec.name])
        try await client.checked(["start", "--", spec.name])
    }

    /// Copies the old container's backup state into the new container's volume when the old one
    /// kept it in its own layer. Run records and logs only: a lock or scratch files of a run that
    /// ended with the old container mean nothing to the new one.
    private func carryBackupState(from old: PodmanContainerConfig?) async throws(PodmanFailure) -> String? {
        let path = PodmanVolumes.backupStatePath
        guard let old, spec.mounts.contains(where: { $0.path == path }), old.mount(at: path) == nil else { return nil }
        let scratch: String
        do { scratch = try PrivateFiles.temporaryDirectory(prefix: "opencode-ops-carry") } catch {
            throw .commandFailed(command: "replace", exitCode: 1, detail: error.description)
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let copied = try await client.run(["cp", "--", "\(aside):\(path)", scratch + "/state"])
        // An image without the backup scripts has no such directory: nothing to carry.
        guard copied.succeeded else { return nil }
        let files = FileManager.default
        let entries = ((try? files.contentsOfDirectory(atPath: scratch + "/state")) ?? []).filter { $0 != "lock" && $0 != "staging" }
        for entry in entries.sorted() {
            try await client.checked(["cp", "--", "\(scratch)/state/\(entry)", "\(spec.name):\(path)/"])
        }
        guard !entries.isEmpty else { return nil }
        let runs = (try? files.contentsOfDirectory(atPath: scratch + "/state/runs"))?.count ?? 0
        return "backup history (\(runs) run\(runs == 1 ? "" : "s")) copied from the old container into volume "
            + (spec.mounts.first { $0.path == path }?.volume ?? "")
    }
}
