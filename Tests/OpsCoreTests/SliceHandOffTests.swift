import Foundation
import Testing
@testable import OpsCore

/// One slice's news reaches another only as an action: each test reduces the sender's action
/// alone (the other slice is untouched and the action waits in the outbox), then through
/// `update`, which reduces the action the receiver owns.
@Suite struct SliceHandOffTests {
    typealias Fixture = BuildReducerTests

    static func job(_ kind: JobKind, _ state: JobRunState = .running) -> JobStatus {
        JobStatus(id: "\(kind.rawValue)-1", kind: kind, arguments: [], user: "ops", sshClient: nil, pid: 1,
                  startedAt: Fixture.now, state: state)
    }

    @Test func aPodSnapshotReachesTheLogViewAndTheBackupsAsActions() {
        var state = Fixture.state()
        state.build.source = .opencode
        let effects = state.reduce(PodAction.watch(Fixture.snapshot()))
        #expect(effects.isEmpty)
        #expect(state.backups.pod == .unknown)
        #expect(state.build.stream == nil)
        guard state.outbox.actions.count == 2,
              case .build(.containersChanged) = state.outbox.actions[0],
              case .backups(.podChanged(let target?, _)) = state.outbox.actions[1]
        else { Issue.record("sent \(state.outbox.actions)"); return }
        #expect(target.container == "opencode-opencode")

        let (next, updateEffects) = update(Fixture.state().with { $0.build.source = .opencode }, .pod(.watch(Fixture.snapshot())))
        #expect(next.outbox.actions.isEmpty)
        #expect(next.backups.pod == .running(target))
        #expect(next.build.stream?.containerID == "c0ffee000001")
        #expect(updateEffects.contains(.build(.streamLogs(container: "c0ffee000001", tail: 2000, generation: 1))))
    }

    @Test func aFailedWatchTellsTheBackupsThePodIsGone() {
        var state = Fixture.state()
        _ = state.reduce(PodAction.watch(.failed(.permissionDenied(detail: "no socket"))))
        guard case .backups(.podChanged(nil, let reason))? = state.outbox.actions.first else {
            Issue.record("sent \(state.outbox.actions)"); return
        }
        #expect(state.backups.pod == .unknown)
        let next = update(Fixture.state(), .pod(.watch(.failed(.permissionDenied(detail: "no socket"))))).0
        #expect(next.backups.pod == .absent(reason: reason))
    }

    @Test func anUnhealthyRebuildOffersTheRollbackThroughThePodSlice() {
        var state = Fixture().rebuilding()
        let outcome = PodmanRebuildOutcome.notHealthy(
            container: "opencode-opencode", imageID: "feedface0001", reason: "not healthy after 6 s",
            previousTag: "localhost/opencode-server:previous"
        )
        var alone = state
        _ = alone.reduce(BuildAction.rebuild(.finished(outcome)))
        #expect(alone.pod.rollbackOffer == nil)
        guard case .pod(.rollbackOffered(let offer?))? = alone.outbox.actions.first else {
            Issue.record("sent \(alone.outbox.actions)"); return
        }
        #expect(offer.previousTag == "localhost/opencode-server:previous")

        state = update(state, .build(.rebuild(.finished(outcome)))).0
        #expect(state.pod.rollbackOffer == offer)
        // A new build withdraws the offer, again through the pod slice.
        alone = state
        _ = alone.startBuild(.build)
        #expect(alone.pod.rollbackOffer == offer)
        guard case .pod(.rollbackOffered(nil))? = alone.outbox.actions.first else {
            Issue.record("sent \(alone.outbox.actions)"); return
        }
        state = update(state, .pod(.rollbackOffered(nil))).0
        #expect(state.pod.rollbackOffer == nil)
    }

    @Test func anAttachedRollbackJobMarksThePodThroughItsAction() {
        var state = Fixture.state()
        _ = state.reduce(BuildAction.attached(Self.job(.rollback), elapsed: 3))
        #expect(state.pod.operation == nil)
        guard case .pod(.rollbackFollowed)? = state.outbox.actions.first else {
            Issue.record("sent \(state.outbox.actions)"); return
        }
        #expect(update(Fixture.state(), .build(.attached(Self.job(.rollback), elapsed: 3))).0.pod.operation == .rollback)
    }

    @Test func aRollbackResultReachesTheBuildBannerAsAnAction() {
        var state = Fixture.state()
        let outcome = PodmanRebuildOutcome.replaced(container: "opencode-opencode", imageID: "beef00000001", healthy: true)
        _ = state.reduce(PodAction.rollbackFinished(.success(outcome)))
        #expect(state.build.lastResult == nil)
        guard case .build(.rollbackResult(let result?))? = state.outbox.actions.first else {
            Issue.record("sent \(state.outbox.actions)"); return
        }
        #expect(result.text == "rolled back opencode-opencode to beef00000001")
        #expect(update(Fixture.state(), .pod(.rollbackFinished(.success(outcome)))).0.build.lastResult == result)
    }

    @Test func aJobsListingEndsTheApplyThroughThePodSlice() {
        var state = Fixture.state()
        state.pod.operation = .apply
        var alone = state
        _ = alone.reduce(JobsAction.listed(jobs: [Self.job(.apply, .succeeded)], audit: []))
        #expect(alone.pod.operation == .apply)
        guard case .pod(.jobsListed(let jobs))? = alone.outbox.actions.first else {
            Issue.record("sent \(alone.outbox.actions)"); return
        }
        #expect(jobs.map(\.kind) == [.apply])
        #expect(update(state, .jobs(.listed(jobs: [Self.job(.apply)], audit: []))).0.pod.operation == .apply)
        #expect(update(state, .jobs(.listed(jobs: [Self.job(.apply, .succeeded)], audit: []))).0.pod.operation == nil)
    }

    @Test func aRefusedJobIsToldToTheSliceThatShowedItStarting() {
        var state = Fixture().rebuilding()
        state.pod.operation = .rollback
        state.backups.restoring = "b-1"
        state.backups.restoreNote = "starting"
        let refusals: [(JobRequest, (AppState) -> Bool)] = [
            (JobRequest(kind: .rebuild), { $0.build.run == nil && $0.build.lastResult?.text == "rebuild not started: busy" }),
            (JobRequest(kind: .rollback), { $0.pod.operation == nil }),
            (JobRequest(kind: .restore, target: .backup(id: "b-1")), { $0.backups.restoring == nil && $0.backups.restoreNote == nil }),
        ]
        for (request, isDone) in refusals {
            var alone = state
            _ = alone.reduce(JobsAction.refused(request, reason: "busy"))
            #expect(!isDone(alone), "\(request.kind) changed another slice directly")
            let sent = alone.outbox.actions.first
            switch (request.kind, sent) {
            case (.rebuild, .build(.jobRefused(.rebuild, "busy"))?), (.rollback, .pod(.jobRefused(.rollback))?),
                 (.restore, .backups(.jobRefused(request))?):
                break
            default:
                Issue.record("\(request.kind) sent \(String(describing: sent))")
            }
            #expect(isDone(update(state, .jobs(.refused(request, reason: "busy"))).0))
        }
    }
}

extension AppState {
    fileprivate func with(_ change: (inout AppState) -> Void) -> AppState {
        var state = self
        change(&state)
        return state
    }
}
