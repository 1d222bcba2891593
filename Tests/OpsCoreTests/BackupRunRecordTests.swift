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
