import Foundation
import Testing
@testable import OpsCore

/// `V` on a backup row: confirmed, run as a job, followed to its result; refused where it must be.
@Suite struct BackupVerifyUpdateTests {
    typealias F = BackupFixtures

    func loaded(drill: BackupDrillReport? = nil) -> AppState {
        var state = AppState()
        state.focus = .backups
        var listing = F.listing
        listing.drill = drill
        for action: BackupsAction in [.podChanged(F.target, reason: ""), .runsLoaded(F.runs), .listingLoaded(listing)] {
            state = update(state, .backups(action)).0
        }
        return state
    }

    @Test func verifyIsConfirmedThenRunsAsAJobAndItsResultIsShown() {
        var (state, effects) = update(loaded(), .key(.character("V")))
        #expect(effects.isEmpty)
        guard case .confirm(let confirmation)? = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(confirmation.operation == .verifyBackup(backupID: "20261127T020000Z-1a2b"))
        #expect(confirmation.lines.joined(separator: " ").contains("sha256"))
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects == [.jobs(.start(JobRequest(kind: .verify, target: .backup(id: "20261127T020000Z-1a2b"))))])
        #expect(state.backups.verifying == "20261127T020000Z-1a2b")
        state = update(state, .backups(.verifyProgress(backupID: "20261127T020000Z-1a2b", line: "download 40%"))).0
        #expect(state.backups.verifyNote == "download 40%")
        // A backup or a second verify meanwhile is refused in the console already.
        let (busy, none) = update(state, .key(.character("V")))
        #expect(none.isEmpty && busy.overlay == nil)
        #expect(busy.messages.last?.contains("a verify of 20261127T020000Z-1a2b is running") == true)
        let (ended, refresh) = update(state, .backups(.verifyEnded(
            backupID: "20261127T020000Z-1a2b", summary: "12 members match the manifest", problem: nil)))
        #expect(ended.backups.verifying == nil && ended.backups.verifyNote == nil)
        #expect(ended.messages.last == "verify of 20261127T020000Z-1a2b passed: 12 members match the manifest")
        #expect(refresh == [.backups(.refresh(F.target))])
    }

    @Test func aFailedVerifyNamesTheMemberAsAFailure() {
        var state = loaded()
        state.backups.verifying = "20261127T020000Z-1a2b"
        state = update(state, .backups(.verifyEnded(
            backupID: "20261127T020000Z-1a2b", summary: nil, problem: "opencode/data/x.json: sha256 mismatch"))).0
        #expect(state.messages.last?.contains("FAILED: opencode/data/x.json: sha256 mismatch") == true)
        #expect(state.backups.verifying == nil)
    }

    @Test func cancellingRunsNothing() {
        var state = update(loaded(), .key(.character("V"))).0
        let effects: [Effect]
        (state, effects) = update(state, .key(.character("n")))
        #expect(effects.isEmpty && state.backups.verifying == nil)
    }

    @Test func readonlyRefusesVerify() {
        var state = loaded()
        state.settings.readonly = true
        let (next, effects) = update(state, .key(.character("V")))
        #expect(effects.isEmpty && next.overlay == nil)
    }

    @Test func onlyBackupsCanBeVerified() {
        var state = loaded()
        state = update(state, .key(.character("j"))).0   // the failed upload: nothing on the remote
        let (next, effects) = update(state, .key(.character("V")))
        #expect(effects.isEmpty && next.overlay == nil)
        #expect(next.messages.last?.contains("select a backup to verify") == true)
    }

    @Test func aRefusedJobClearsTheVerify() {
        var state = loaded()
        state.backups.verifying = "20261127T020000Z-1a2b"
        state = update(state, .jobs(.refused(JobRequest(kind: .verify, target: .backup(id: "20261127T020000Z-1a2b")), reason: "data job running"))).0
        #expect(state.backups.verifying == nil)
    }

    @Test func verifyRecordsAreRowsOfTheirOwnAndTheDrillIsKept() throws {
        let summary = BackupVerifySummary(id: "verify-20261127T040000Z-9f9f", backupID: "20261127T020000Z-1a2b",
                                          trigger: "scheduled", result: "failed", error: "x: sha256 mismatch", ageSeconds: 7_200)
        var state = loaded(drill: BackupDrillReport(schedule: "0 4 * * *", last: summary, lastVerify: summary))
        #expect(state.backups.drill?.last == summary)
        #expect(BackupFormat.drillLine(state.backups.drill) == "drill FAILED 2 h ago, backup 1a2b: x: sha256 mismatch; drills 0 4 * * *")
        var run = F.record("verify-20261127T040000Z-9f9f", result: .failed, errorKind: "damaged", error: "damaged", trigger: "scheduled")
        run.kind = .verify
        run.startedAt = "2026-11-27T04:00:00.00Z"
        run.backupID = "20261127T020000Z-1a2b"
        state = update(state, .backups(.runsLoaded([run] + F.runs))).0
        let row = try #require(state.backups.rows.first)
        #expect(row.kind == .verify && row.statusWord == "verify damaged" && !row.isVerifiable && !row.isRestorable)
    }

    @Test func aVerifyRecordDecodesWithItsCounts() throws {
        let json = #"{"id":"verify-20261127T040000Z-9f9f","kind":"verify","trigger":"manual","result":"succeeded","backup_id":"20261127T020000Z-1a2b","checked":{"members":12,"ok":12,"failed":0,"sqlite":1,"rdb":2}}"#
        let record = try JSONDecoder().decode(BackupRunRecord.self, from: Data(json.utf8))
        #expect(record.kind == .verify && record.backupID == "20261127T020000Z-1a2b")
        #expect(record.checked == BackupVerifyCounts(members: 12, ok: 12, failed: 0, sqlite: 1, rdb: 2))
    }
}
