import Foundation
import OpsCore

/// Loads an RDB file a restore left in the OpenCode container into its sidecar, following the
/// procedure in scripts/BACKUPS.md: copy it out and check its sha256, stop the sidecar (a
/// running server would overwrite the file on shutdown), put it in the data volume as
/// `dump.rdb`, start the sidecar and wait for it to answer.
public struct BackupSidecarLoader: Sendable {
    public var podman: PodmanClient
    /// Where the sidecar images keep their data (`dir`), and the RDB's name there.
    public var dataDirectory: String
    public var startTimeout: TimeInterval

    public init(podman: PodmanClient, dataDirectory: String = "/data", startTimeout: TimeInterval = 60) {
        self.podman = podman
        self.dataDirectory = dataDirectory
        self.startTimeout = startTimeout
    }

    /// Loads every pending action, then removes the restore's leftovers in the OpenCode container.
    public func load(_ actions: [BackupPendingAction], target: BackupTarget) async -> [BackupSidecarLoad] {
        var loads: [BackupSidecarLoad] = []
        for action in actions {
            loads.append(await load(action, target: target))
        }
        if loads.allSatisfy(\.succeeded) { await removeLeftovers(actions, target: target) }
        return loads
    }

    /// Deletes `STATE/restore/restore-<ID>/` in the OpenCode container once every file is loaded.
    public func removeLeftovers(_ actions: [BackupPendingAction], target: BackupTarget) async {
        let directories = Set(actions.map { ($0.rdb as NSString).deletingLastPathComponent })
        for directory in directories.sorted() where directory.contains("/restore/restore-") {
            _ = try? await podman.run(["exec", "--", target.container, "rm", "-rf", "--", directory])
        }
    }

    public func load(_ action: BackupPendingAction, target: BackupTarget) async -> BackupSidecarLoad {
        guard let sidecar = target.sidecar(for: action.service) else {
            return BackupSidecarLoad(service: action.service, succeeded: false, detail: "no sidecar container for \(action.service)")
        }
        do {
            let detail = try await loadChecked(action, sidecar: sidecar, from: target.container)
            return BackupSidecarLoad(service: action.service, succeeded: true, detail: detail)
        } catch {
            return BackupSidecarLoad(service: action.service, succeeded: false, detail: error.message)
        }
    }

    private func loadChecked(_ action: BackupPendingAction, sidecar: String, from container: String) async throws(BackupClientError) -> String {
        // The database dump holds everything the sidecar stores: a folder only we can enter.
        let directory: URL
        do {
            directory = URL(fileURLWithPath: try PrivateFiles.temporaryDirectory(prefix: "opencode-ops-restore"))
        } catch {
            throw BackupClientError(message: error.description)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let local = directory.appendingPathComponent("dump.rdb").path
        try await checked(["cp", "--", "\(container):\(action.rdb)", local], what: "copying \(action.rdb) out of \(container)")
        if let expected = action.sha256 {
            let actual = try Self.sha256(ofFile: local)
            guard actual == expected.lowercased() else {
                throw BackupClientError(message: "\(action.service) RDB sha256 \(actual.prefix(12))… differs from the restore's \(expected.prefix(12))…: not loaded")
            }
        }
        let port = action.port.map(String.init)
        // An AOF would be loaded instead of the RDB: refuse rather than load the wrong data.
        if let answer = try? await podman.run(["exec", "--", sidecar, "redis-cli"] + (port.map { ["-p", $0] } ?? []) + ["CONFIG", "GET", "appendonly"]),
           answer.succeeded, answer.stdoutText.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) == "yes" {
            throw BackupClientError(message: "\(sidecar) runs with appendonly yes: move its appendonlydir aside, then load \(action.rdb) by hand")
        }
        try await checked(["stop", "--", sidecar], what: "stopping \(sidecar)")
        try await checked(["cp", "--", local, "\(sidecar):\(dataDirectory)/dump.rdb"], what: "copying the RDB into \(sidecar)")
        try await checked(["start", "--", sidecar], what: "starting \(sidecar)")
        let deadline = Date().addingTimeInterval(startTimeout)
        let cli = ["exec", "--", sidecar, "redis-cli"] + (port.map { ["-p", $0] } ?? [])
        while true {
            if let ping = try? await podman.run(cli + ["PING"]), ping.stdoutText.contains("PONG") { break }
            guard Date() < deadline else {
                throw BackupClientError(message: "\(sidecar) did not answer PING within \(Int(startTimeout)) s after loading the RDB")
            }
            // The server is loading the file: a short bounded wait, not a poll of the pod.
            try? await Task.sleep(nanoseconds: 300_000_000)
        }
        let size = try? await podman.run(cli + ["DBSIZE"])
        let keys = size?.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return "loaded into \(sidecar), \(keys) keys"
    }

    private func checked(_ arguments: [String], what: String) async throws(BackupClientError) {
        do {
            try await podman.checked(arguments)
        } catch {
            throw BackupClientError(message: "\(what): \(error.message)")
        }
    }

    /// sha256 of a file, hex.
    static func sha256(ofFile path: String) throws(BackupClientError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BackupClientError(message: "cannot read \(path): \(error.localizedDescription)")
        }
        return SHA256Digest.hex(of: data)
    }
}
