import Foundation
import Testing
@testable import OpsCore

/// Apply's confirmation and the guards' "wait, then continue" dialog, through `update` only.
@Suite struct ApplyAndGuardReducerTests {
    typealias Fixture = BuildReducerTests

    static func upState() -> AppState {
        update(Fixture.state(), .pod(.watch(Fixture.snapshot()))).0
    }

    static let plan = PodmanApplyPlan(pod: "opencode", changes: [
        PodmanApplyChange(role: .opencode, container: "opencode-opencode", reasons: ["variables changed: OPS_TOKEN"]),
    ])

    /// A backup followed by the Backups panel, as a running run record arrives.
    static func backingUp(_ state: AppState) -> AppState {
        let running = BackupRunRecord(id: "20261128T100000Z-ab12", startedAt: "2026-11-28T10:00:00Z", phase: "upload", result: .running)
        var state = update(state, .backups(.podChanged(BackupTarget(container: "opencode-opencode", falkordb: "f", valkey: "v"), reason: ""))).0
        state = update(state, .backups(.runUpdated(running))).0
        return state
    }

    @Test func applyAsksPodmanWhatDiffersThenConfirmsNamingVariablesOnly() {
        var (state, effects) = update(Self.upState(), .key(.character("a")))
        #expect(effects == [.pod(.planApply)])
        (state, effects) = update(state, .pod(.applyPlanned(.success(Self.plan))))
        guard case .confirm(let confirmation)? = state.overlay else { Issue.record("no confirmation"); return }
        #expect(confirmation.lines.joined(separator: "\n").contains("opencode-opencode: variables changed: OPS_TOKEN"))
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects == [.jobs(.start(JobRequest(kind: .apply)))])
        #expect(state.pod.operation == .apply)
        // A refused job leaves nothing marked as running.
        state = update(state, .jobs(.refused(JobRequest(kind: .apply), reason: "a rebuild job is already running"))).0
        #expect(state.pod.operation == nil)
    }

    @Test func applyWithNothingChangedSaysSoAndDoesNothing() {
        let (state, effects) = update(Self.upState(), .pod(.applyPlanned(.success(PodmanApplyPlan(pod: "opencode", changes: [])))))
        #expect(effects.isEmpty && state.overlay == nil)
        #expect(state.messages.last == "nothing to apply: every container of pod opencode runs as the settings say")
    }

    @Test func applyWithoutAPodExplainsInsteadOfAsking() {
        let (state, effects) = update(Fixture.state(), .key(.character("a")))
        #expect(effects.isEmpty && state.overlay == nil)
        #expect(state.messages.last?.contains("is not up") == true)
    }

    @Test func rebuildDuringABackupOffersToWaitThenRebuildsWhenItEnds() {
        var state = Self.backingUp(Self.upState())
        var effects: [Effect]
        (state, _) = update(state, .key(.character("b")))
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects.isEmpty, "nothing starts while the backup runs")
        guard case .confirm(let dialog)? = state.overlay else { Issue.record("no guard dialog"); return }
        #expect(dialog.lines.joined().contains("backup 20261128T100000Z-ab12"))
        #expect(dialog.yes == "wait, then rebuild" && dialog.no == "cancel")
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects.isEmpty && state.pendingAfterWait == .rebuild)
        #expect(state.messages.last?.contains("waiting for backup 20261128T100000Z-ab12") == true)
        // The backup ends: the rebuild starts by itself.
        let done = BackupRunRecord(id: "20261128T100000Z-ab12", startedAt: "2026-11-28T10:00:00Z", phase: "done", result: .succeeded)
        (state, effects) = update(state, .backups(.runUpdated(done)))
        #expect(effects.contains(.jobs(.start(JobRequest(kind: .rebuild, target: .image(tag: "localhost/opencode-server:latest"))))), "\(effects)")
        #expect(state.pendingAfterWait == nil)
    }

    @Test func cancellingTheGuardDialogRunsNothing() {
        var state = Self.backingUp(Self.upState())
        (state, _) = update(state, .key(.character("D")))
        (state, _) = update(state, .key(.character("y")))
        guard case .confirm(let dialog)? = state.overlay else { Issue.record("no guard dialog"); return }
        #expect(dialog.title == "Wait, then take the pod down?")
        let (next, effects) = update(state, .key(.escape))
        #expect(effects.isEmpty && next.pendingAfterWait == nil && next.overlay == nil)
    }

    @Test func aBackupDuringAnApplyJobOffersToWait() {
        var state = update(Self.upState(), .backups(.podChanged(BackupTarget(container: "opencode-opencode", falkordb: "f", valkey: "v"), reason: ""))).0
        state.pod.operation = .apply
        state = update(state, .jobs(.listed(jobs: [JobsUpdateTests.job("a1", .running, kind: .apply)], audit: []))).0
        (state, _) = update(state, .key(.character("B")))
        var effects: [Effect]
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects.isEmpty)
        guard case .confirm(let dialog)? = state.overlay else { Issue.record("no guard dialog"); return }
        #expect(dialog.lines.first == "the apply is running.")
        (state, _) = update(state, .key(.character("y")))
        #expect(state.pendingAfterWait == .backupNow)
        let ended = JobsUpdateTests.job("a1", .succeeded, kind: .apply, exit: 0)
        (state, effects) = update(state, .jobs(.listed(jobs: [ended], audit: [])))
        #expect(effects.contains { if case .backups(.trigger) = $0 { true } else { false } }, "\(effects)")
    }
}
