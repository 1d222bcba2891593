import Foundation
import OpsCore

/// Asks the OpenCode container whether a backup or restore runs in it (the scripts' lock, read
/// with `list-backups --runs --json`), so the actions that would kill it can refuse or wait.
public struct BackupActivityCheck: Sendable {
    public var client: BackupClient
    public var container: String

    public init(client: BackupClient, container: String) {
        self.client = client
        self.container = container
    }

    /// The running backup or restore; nil when none runs, the container is not running, or its
    /// image has no backup scripts (nothing can be killed then).
    public func running() async -> BackupLockHolder? {
        guard let config = try? await client.podman.containerConfig(container), config.state == .running else { return nil }
        return try? await client.runningJob(container: container)
    }

    /// Waits until nothing runs, calling `waiting` once with the run it waits for.
    public func waitUntilIdle(poll: TimeInterval = 2, waiting: (BackupLockHolder) -> Void) async {
        var announced: String?
        while !Task.isCancelled, let holder = await running() {
            if announced != holder.id ?? "" {
                waiting(holder)
                announced = holder.id ?? ""
            }
            try? await Task.sleep(nanoseconds: UInt64(poll * 1e9))
        }
    }
}

extension BackupClient {
    /// The lock holder `list-backups --runs --json` reports; nil when nothing runs.
    public func runningJob(container: String) async throws(BackupClientError) -> BackupLockHolder? {
        let result = try await exec(container, [script("list-backups"), "--runs", "--json"])
        guard result.succeeded else { throw Self.failure("list-backups --runs", result) }
        struct Runs: Decodable { var running: BackupLockHolder? }
        return try Self.decode(Runs.self, from: result.stdout, what: "list-backups --runs --json").running
    }
}
