import Foundation
import OpsCore

/// Loads an RDB file a restore left in the OpenCode container into its sidecar, following the
/// procedure in scripts/BACKUPS.md: copy it out and check its sha256, save the sidecar's dataset
/// and stop it (a running server would overwrite the file on shutdown), keep its dump.rdb, put
/// the new file in the data volume as `dump.rdb`, start the sidecar and wait for it to answer;
/// when it does not, the kept dump.rdb goes back.
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

    /// Deletes the loaded RDB files from `STATE/restore/restore-<ID>/` in the OpenCode
    /// container; the rest of that folder (what the restore replaced, for `restore --undo`) stays.
    public func removeLeftovers(_ actions: [BackupPendingAction], target: BackupTarget) async {
        for rdb in Set(actions.map(\.rdb)).sorted() where rdb.contains("/restore/restore-") && rdb.hasSuffix(".rdb") {
            _ = try? await podman.run(["exec", "--", target.container, "rm", "-f", "--", rdb])
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
            let actual = try await Self.sha256(ofFile: local, runner: podman.runner)
            guard actual == expected.lowercased() else {
                throw BackupClientError(message: "\(action.service) RDB sha256 \(actual.prefix(12))… differs from the restore's \(expected.prefix(12))…: not loaded")
            }
        }
        let cli = try await sidecarCLI(action, sidecar: sidecar, opencode: container)
        // An AOF would be loaded instead of the RDB: refuse rather than load the wrong data.
        if let answer = try? await cli.podman.run(cli.arguments + ["CONFIG", "GET", "appendonly"]),
           answer.succeeded, answer.stdoutText.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) == "yes" {
            throw BackupClientError(message: "\(sidecar) runs with appendonly yes: move its appendonlydir aside, then load \(action.rdb) by hand")
        }
        // The dataset it holds now goes to its dump.rdb, which is kept until the new one has loaded.
        _ = try? await cli.podman.run(cli.arguments + ["SAVE"])
        try await checked(["stop", "--", sidecar], what: "stopping \(sidecar)")
        let previous = directory.appendingPathComponent("previous.rdb").path
        let kept = (try? await podman.run(["cp", "--", "\(sidecar):\(dataDirectory)/dump.rdb", previous]))?.succeeded == true
        do throws(BackupClientError) {
            try await checked(["cp", "--", local, "\(sidecar):\(dataDirectory)/dump.rdb"], what: "copying the RDB into \(sidecar)")
            try await checked(["start", "--", sidecar], what: "starting \(sidecar)")
            try await waitForPing(cli, sidecar: sidecar)
        } catch {
            guard kept else {
                throw BackupClientError(message: "\(error.message); \(sidecar) had no dump.rdb to go back to")
            }
            _ = try? await podman.run(["stop", "--", sidecar])
            do throws(BackupClientError) {
                try await checked(["cp", "--", previous, "\(sidecar):\(dataDirectory)/dump.rdb"], what: "putting the previous dump.rdb back")
                try await checked(["start", "--", sidecar], what: "starting \(sidecar)")
                try await waitForPing(cli, sidecar: sidecar)
            } catch let back {
                throw BackupClientError(message: "\(error.message); putting the previous dataset back failed too: \(back.message)")
            }
            throw BackupClientError(message: "\(error.message); the previous dataset was put back")
        }
        let size = try? await cli.podman.run(cli.arguments + ["DBSIZE"])
        let keys = size?.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return "loaded into \(sidecar), \(keys) keys"
    }

    /// `podman exec` of redis-cli in the sidecar. When the OpenCode container has the sidecar's
    /// password (FALKORDB_PASSWORD, VALKEY_PASSWORD from the secrets file), it reaches redis-cli
    /// as REDISCLI_AUTH through podman's own environment (`--env NAME` without a value), never
    /// on a command line.
    struct SidecarCLI: Sendable {
        var podman: PodmanClient
        var arguments: [String]
    }

    func sidecarCLI(_ action: BackupPendingAction, sidecar: String, opencode: String) async throws(BackupClientError) -> SidecarCLI {
        let port = action.port.map { ["-p", String($0)] } ?? []
        let variable = "\(action.service.uppercased())_PASSWORD"
        guard action.service == "falkordb" || action.service == "valkey",
              let answer = try? await podman.run(["exec", "--", opencode, "printenv", variable]), answer.succeeded else {
            return SidecarCLI(podman: podman, arguments: ["exec", "--", sidecar, "redis-cli"] + port)
        }
        let password = answer.stdoutText.trimmingCharacters(in: .newlines)
        guard !password.isEmpty else { return SidecarCLI(podman: podman, arguments: ["exec", "--", sidecar, "redis-cli"] + port) }
        var authenticated = podman
        authenticated.runner.environment["REDISCLI_AUTH"] = password
        return SidecarCLI(podman: authenticated, arguments: ["exec", "--env", "REDISCLI_AUTH", "--", sidecar, "redis-cli"] + port)
    }

    /// Until the server answers PING; a server that exits (it refused the file) ends the wait.
    private func waitForPing(_ cli: SidecarCLI, sidecar: String) async throws(BackupClientError) {
        let deadline = Date().addingTimeInterval(startTimeout)
        while true {
            if let ping = try? await cli.podman.run(cli.arguments + ["PING"]), ping.stdoutText.contains("PONG") { return }
            if let state = try? await podman.run(["container", "inspect", "--format", "{{.State.Running}}", "--", sidecar]),
               state.succeeded, state.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "false" {
                throw BackupClientError(message: "\(sidecar) stopped while loading the RDB (the server refused the file)")
            }
            guard Date() < deadline else {
                throw BackupClientError(message: "\(sidecar) did not answer PING within \(Int(startTimeout)) s after loading the RDB")
            }
            // The server is loading the file: a short bounded wait, not a poll of the pod.
            try? await Task.sleep(nanoseconds: 300_000_000)
        }
    }

    private func checked(_ arguments: [String], what: String) async throws(BackupClientError) {
        do {
            try await podman.checked(arguments)
        } catch {
            throw BackupClientError(message: "\(what): \(error.message)")
        }
    }

    /// sha256 of a file, hex, from `sha256sum` (no digest code of our own).
    static func sha256(ofFile path: String, runner: ProcessRunner) async throws(BackupClientError) -> String {
        let result: ProcessResult
        do {
            result = try await runner.run("sha256sum", ["--", path])
        } catch {
            throw BackupClientError(message: "cannot run sha256sum: \(error)")
        }
        let digest = result.stdoutText.split(separator: " ").first.map(String.init) ?? ""
        guard result.succeeded, digest.count == 64, digest.allSatisfy(\.isHexDigit) else {
            throw BackupClientError(message: "sha256sum \(path) failed (exit \(result.exitCode)): \(PodmanClient.lastErrorLine(result.stderrText) ?? "no output")")
        }
        return digest.lowercased()
    }
}
