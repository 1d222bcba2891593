@testable import OpsCore

/// Status records and listings shaped like the scripts' JSON, for the backups tests.
enum BackupFixtures {
    static let target = BackupTarget(container: "opencode-opencode", falkordb: "opencode-falkordb", valkey: "opencode-valkey")

    static func record(
        _ id: String, result: BackupRunRecord.Result, phase: String = "done", verified: Bool = false,
        bytes: Int? = nil, errorKind: String? = nil, error: String? = nil, progress: BackupProgress? = nil,
        trigger: String = "manual"
    ) -> BackupRunRecord {
        BackupRunRecord(
            id: id, trigger: trigger, startedAt: BackupFormat.startedAt(runID: id), phase: phase, result: result,
            exitCode: result == .running ? nil : (errorKind == nil ? 0 : 6), error: error, errorKind: errorKind,
            remote: "/remote", progress: progress, verified: verified,
            archive: bytes.map { BackupArchiveInfo(name: "opencode-\(id).tar", bytes: $0) }
        )
    }

    /// Three recorded runs (a verified scheduled one, a failed upload, an older verified one)
    /// and a remote listing with one backup made elsewhere.
    static let runs = [
        record("20261127T020000Z-1a2b", result: .succeeded, verified: true, bytes: 209_725_440, trigger: "scheduled"),
        record("20261126T120000Z-3c4d", result: .failed, phase: "done", errorKind: "upload-failed", error: "rclone: remote unwritable"),
        record("20261125T020000Z-5e6f", result: .succeeded, verified: true, bytes: 204_800_000),
    ]

    static let listing = BackupListing(remote: "/remote", backups: [
        BackupRemoteEntry(id: "20261127T020000Z-1a2b", createdAt: "2026-11-27T02:00:00.00Z", bytes: 209_725_440, state: "verified"),
        BackupRemoteEntry(id: "20261125T020000Z-5e6f", createdAt: "2026-11-25T02:00:00.00Z", bytes: 204_800_000, state: "verified"),
        BackupRemoteEntry(id: "20261120T020000Z-0000", createdAt: "2026-11-20T02:00:00.00Z", bytes: 1_048_576, state: "incomplete"),
    ])

    static let progress = BackupProgress(bytes: 94_371_840, total: 209_715_200, rate: 12_582_912, eta: 9, percent: 45)
}
