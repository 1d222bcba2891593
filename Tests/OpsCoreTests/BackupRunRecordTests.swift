import Foundation
import OpsCore
import Testing

/// Status records as the scripts in the image write them.
@Suite struct BackupRunRecordTests {
    private func decode(_ json: String) throws -> BackupRunRecord {
        try JSONDecoder().decode(BackupRunRecord.self, from: Data(json.utf8))
    }

    @Test func aFailedRunNamesThePhaseItFailedIn() throws {
        let record = try decode("""
            {"id": "20261127T020000Z-1a2b", "kind": "backup", "phase": "done", "result": "failed",
             "exit_code": 5, "error": "staging disk full: sqlite backup", "error_kind": "disk-full",
             "failed_phase": "snapshot", "phases": [{"phase": "snapshot"}, {"phase": "upload"}]}
            """)
        #expect(record.result == .failed)
        #expect(record.errorKind == "disk-full")
        #expect(record.failedPhase == "snapshot")
    }

    @Test func recordsWithoutAFailedPhaseStillDecode() throws {
        let record = try decode("""
            {"id": "20261127T020000Z-1a2b", "phase": "upload", "result": "running",
             "progress": {"bytes": 10, "total": 100}}
            """)
        #expect(record.failedPhase == nil)
        #expect(record.progress?.bytes == 10)
    }

    @Test func theVerificationLevelAndEncryptionAreRead() throws {
        let record = try decode("""
            {"id": "20261127T020000Z-1a2b", "phase": "done", "result": "succeeded", "verified": true,
             "encrypted": true, "verification": {"level": "remote md5", "hash_type": "md5",
             "hash": "68daf640953fa40e0c5a904b76ae56f2", "of": "ciphertext"}}
            """)
        #expect(record.verification == BackupVerification(level: "remote md5", hashType: "md5",
                                                          hash: "68daf640953fa40e0c5a904b76ae56f2", of: "ciphertext"))
        #expect(record.encrypted == true)
        let older = try decode(#"{"id": "20261127T020000Z-1a2b", "phase": "done", "result": "succeeded"}"#)
        #expect(older.verification == nil && older.encrypted == nil)
    }
}

/// One id format for a run: the job's id is the script's run id.
@Suite struct RunIdentityTests {
    static let now = Date(timeIntervalSince1970: 1_795_897_535) // 2026-11-28T20:25:35Z

    @Test func jobIDsTakeTheScriptsRunIDForm() {
        #expect(JobKind.runID(kind: .backup, now: Self.now, suffix: 0xe7d1) == "20261128T202535Z-e7d1")
        #expect(JobKind.runID(kind: .restore, now: Self.now, suffix: 0x0a) == "restore-20261128T202535Z-000a")
        #expect(JobKind.runID(kind: .rebuild, now: Self.now, suffix: 0xffff) == "rebuild-20261128T202535Z-ffff")
    }

    @Test func onlyAJobIDOfTheScriptsFormIsHandedToTheScript() {
        #expect(JobKind.scriptRunID(jobID: "20261128T202535Z-e7d1", kind: .backup) == "20261128T202535Z-e7d1")
        #expect(JobKind.scriptRunID(jobID: "restore-20261128T202535Z-e7d1", kind: .restore) == "restore-20261128T202535Z-e7d1")
        #expect(JobKind.scriptRunID(jobID: "restore-20261128T202535Z-e7d1", kind: .backup) == nil)
        #expect(JobKind.scriptRunID(jobID: "20261128T202535Z-e7d1", kind: .restore) == nil)
        #expect(JobKind.scriptRunID(jobID: "20261128-202605-restore-aef5", kind: .restore) == nil, "an older job's id")
        #expect(JobKind.scriptRunID(jobID: "20261128T202535Z-E7D1", kind: .backup) == nil)
        #expect(JobKind.scriptRunID(jobID: nil, kind: .backup) == nil)
    }

    @Test func progressLinesAreNotRepeated() {
        var lines = BackupProgressLines()
        func record(_ phase: String, _ result: BackupRunRecord.Result = .running, bytes: Int? = nil) -> BackupRunRecord {
            BackupRunRecord(id: "x", startedAt: "", phase: phase, result: result, progress: bytes.map { BackupProgress(bytes: $0) })
        }
        let printed = [record("starting"), record("starting"), record("verify"), record("verify"),
                       record("upload", bytes: 1024), record("upload", bytes: 1024), record("upload", bytes: 2048),
                       record("done", .succeeded)].compactMap { lines.line(for: $0) }
        #expect(printed == ["starting", "verify", "upload 1.0 KB", "upload 2.0 KB"])
    }
}
