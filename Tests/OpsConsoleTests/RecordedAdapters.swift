import Foundation
import OpsAdapters
import OpsConsole
import OpsCore

/// Podman as the pod runner saw it answer: each call gives back what was recorded.
struct RecordedPod: PodControl {
    var upResult: Result<PodmanBringUpResult, PodmanFailure> = .failure(
        .commandFailed(command: "podman pod create", exitCode: 125, detail: "no such image")
    )
    var updates: [PodmanWatchUpdate] = []

    func up() async throws(PodmanFailure) -> PodmanBringUpResult { try upResult.get() }

    func down() async throws(PodmanFailure) -> PodmanTearDownResult {
        throw .commandFailed(command: "podman pod rm", exitCode: 1, detail: "no pod")
    }

    func restart(role: PodmanRole) async throws(PodmanFailure) {}

    func planApply() async throws(PodmanFailure) -> PodmanApplyPlan { PodmanApplyPlan(pod: "opencode", changes: []) }

    func watch() -> AsyncStream<PodmanWatchUpdate> {
        let updates = updates
        return AsyncStream { continuation in
            updates.forEach { continuation.yield($0) }
            continuation.finish()
        }
    }

    func followLog(
        container: String, tail: Int, keep: Int, onReady: @escaping @Sendable (LineTail<PodmanLogLine>) -> Void
    ) -> @Sendable () -> Void { {} }

    func buildHistory() -> [PodmanBuildRecord] { [] }
}

/// The backup scripts as they answered: a run's records as `follow` streamed them, and what a
/// trigger gave back.
struct RecordedBackupScripts: BackupScripts {
    var trigger: BackupTriggerOutcome = .busy(
        runningID: "20261129T020000Z-0a0b", message: "another backup or restore is running (20261129T020000Z-0a0b)"
    )
    var followed: [BackupRunRecord] = []
    var interruptionReason = "the container opencode-opencode stopped (exit 137)"

    func schedule(container: String) async throws(BackupClientError) -> String? { "0 2 * * *" }

    func runs(container: String) async throws(BackupClientError) -> [BackupRunRecord] { followed }

    func listingWithLine(container: String) async throws(BackupClientError) -> (BackupListing, String) {
        throw BackupClientError(message: "rclone: directory not found")
    }

    func offlineListing() async throws(BackupClientError) -> (BackupListing, String) {
        throw BackupClientError(message: "rclone: directory not found")
    }

    func trigger(container: String) async throws(BackupClientError) -> BackupTriggerOutcome { trigger }

    func follow(container: String, runID: String) -> AsyncThrowingStream<BackupRunRecord, any Error> {
        let records = followed
        return AsyncThrowingStream { continuation in
            records.forEach { continuation.yield($0) }
            continuation.finish()
        }
    }

    func log(container: String, runID: String) async throws(BackupClientError) -> [String] { [] }

    func plan(container: String, backupID: String) async throws(BackupClientError) -> BackupRestorePlan {
        throw BackupClientError(message: "no backup \(backupID)")
    }

    func interruption(container: String, last: BackupRunRecord?) async -> String { interruptionReason }
}
