import Foundation
import OpsAdapters
import OpsCore

/// What the backups runner needs from the scripts in the image: the schedule, the runs, the
/// listing (from the OpenCode container, or a one-off one when the pod is down), starting and
/// following a run, and why a followed run stopped reporting.
public protocol BackupScripts: Sendable {
    func schedule(container: String) async throws(BackupClientError) -> String?
    func runs(container: String) async throws(BackupClientError) -> [BackupRunRecord]
    /// The listing and the JSON line it was read from (for the cache).
    func listingWithLine(container: String) async throws(BackupClientError) -> (BackupListing, String)
    func offlineListing() async throws(BackupClientError) -> (BackupListing, String)
    func trigger(container: String) async throws(BackupClientError) -> BackupTriggerOutcome
    func follow(container: String, runID: String) -> AsyncThrowingStream<BackupRunRecord, any Error>
    func log(container: String, runID: String) async throws(BackupClientError) -> [String]
    func plan(container: String, backupID: String) async throws(BackupClientError) -> BackupRestorePlan
    /// Why a run stopped reporting before its end (the container stopped, the script died).
    func interruption(container: String, last: BackupRunRecord?) async -> String
}

/// The scripts through `BackupClient` in the running container, and `BackupOfflineLister`.
public struct LiveBackupScripts: BackupScripts {
    let client: BackupClient
    let lister: BackupOfflineLister

    public init(client: BackupClient, lister: BackupOfflineLister) {
        self.client = client
        self.lister = lister
    }

    public func schedule(container: String) async throws(BackupClientError) -> String? {
        try await client.schedule(container: container)
    }

    public func runs(container: String) async throws(BackupClientError) -> [BackupRunRecord] {
        try await client.runs(container: container)
    }

    public func listingWithLine(container: String) async throws(BackupClientError) -> (BackupListing, String) {
        try await client.listingWithLine(container: container)
    }

    public func offlineListing() async throws(BackupClientError) -> (BackupListing, String) {
        try await lister.listing()
    }

    public func trigger(container: String) async throws(BackupClientError) -> BackupTriggerOutcome {
        try await client.trigger(container: container, runID: nil)
    }

    public func follow(container: String, runID: String) -> AsyncThrowingStream<BackupRunRecord, any Error> {
        client.follow(container: container, runID: runID)
    }

    public func log(container: String, runID: String) async throws(BackupClientError) -> [String] {
        try await client.log(container: container, runID: runID)
    }

    public func plan(container: String, backupID: String) async throws(BackupClientError) -> BackupRestorePlan {
        try await client.plan(container: container, backupID: backupID)
    }

    public func interruption(container: String, last: BackupRunRecord?) async -> String {
        await BackupInterruption.reason(podman: client.podman, container: container, last: last)
    }
}
