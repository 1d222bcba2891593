import Foundation
import Testing
@testable import OpsCore

/// A detached job's log, as the `build` and `rebuild` subcommands write it (text beside event
/// lines), read back into the updates the console's panels render.
@Suite(.tags(.jobs)) struct JobEventReaderTests {
    static func status(_ kind: JobKind, _ state: JobRunState, exit: Int32?) -> JobStatus {
        JobStatus(
            id: "20250102-153000-\(kind.rawValue)-1a2b", kind: kind, arguments: kind.arguments(), user: "ops", sshClient: nil,
            pid: 42, startedAt: Date(timeIntervalSince1970: 1_700_000_000), state: state, exitCode: exit
        )
    }

    static func event(_ event: JobEvent) -> String { JobLogLine.encode(event) }

    static let rebuildLog = [
        "job 20250102-153000-rebuild-1a2b: opencode-ops rebuild, started by ops at 2025-01-02 15:30:00",
        "rebuilds localhost/oo/opencode:latest, then replaces oo-opencode",
        event(.progress(step: 1, total: 3, instruction: "FROM scratch")),
        "STEP 1/3: FROM scratch",
        event(.progress(step: 2, total: 3, instruction: "COPY busybox /bin/busybox")),
        "STEP 2/3: COPY busybox /bin/busybox",
        "--> 3f2a1b",
        event(.progress(step: 3, total: 3, instruction: "RUN [\"/bin/busybox\", \"sleep\", \"3\"]")),
        "STEP 3/3: RUN [\"/bin/busybox\", \"sleep\", \"3\"]",
        "COMMIT localhost/oo/opencode:latest",
        event(.built(imageID: "0123456789abcdef", tag: "", duration: 4)),
        "built 0123456789ab in 4 s",
        event(.keepingPrevious(tag: "localhost/oo/opencode:previous")),
        "keeping the running image as localhost/oo/opencode:previous",
        event(.replacing(container: "oo-opencode")),
        "replacing oo-opencode",
        event(.waitingForHealth(container: "oo-opencode", deadline: 90)),
        "waiting up to 1 min 30 s for oo-opencode to become healthy",
    ]

    @Test func rebuildLinesBecomeBuildLinesWithStepProgressThenPhases() {
        var reader = JobEventReader(kind: .rebuild)
        let updates = Self.rebuildLog.flatMap { reader.rebuildUpdates($0, elapsed: 2) }
        let progress = updates.compactMap { update -> PodmanBuildProgress? in
            if case .build(.line(let line)) = update { return line.progress }
            return nil
        }
        #expect(progress.last == PodmanBuildProgress(step: 3, total: 3, instruction: "RUN [\"/bin/busybox\", \"sleep\", \"3\"]"))
        // The line after STEP 2 keeps STEP 2's progress, as the in-process build reports it.
        #expect(progress.contains(PodmanBuildProgress(step: 2, total: 3, instruction: "COPY busybox /bin/busybox")))
        #expect(updates.contains(.build(.finished(.succeeded(imageID: "0123456789abcdef", tag: "", duration: 4)))))
        #expect(updates.contains(.phase(.keepingPrevious(previousTag: "localhost/oo/opencode:previous"))))
        #expect(updates.contains(.phase(.replacing(container: "oo-opencode"))))
        #expect(updates.contains(.phase(.waitingForHealth(container: "oo-opencode", deadline: 90))))
        // Event lines are never shown as build lines.
        #expect(!updates.contains { if case .build(.line(let line)) = $0 { return line.text.hasPrefix("@") } else { return false } })
    }

    @Test func rewordedTextChangesNothingTheConsoleDecides() {
        // Sentences are for people: without events, a log that reads like a result is not one.
        var reader = JobEventReader(kind: .rebuild)
        for line in ["built 0123456789ab in 4 s", "replacing oo-opencode", "oo-opencode now runs 0123456789ab and is healthy"] {
            #expect(reader.rebuildUpdates(line, elapsed: 1).allSatisfy { if case .build(.line) = $0 { true } else { false } })
        }
        #expect(reader.rebuildOutcome(Self.status(.rebuild, .succeeded, exit: 0), elapsed: 2) == .success(.builtOnly(imageID: "")))
    }

    @Test func aReplacedContainerIsTheRebuildsOutcome() {
        var reader = JobEventReader(kind: .rebuild)
        for line in Self.rebuildLog + [
            Self.event(.replaced(container: "oo-opencode", imageID: "0123456789abcdef", healthy: true)),
            "oo-opencode now runs 0123456789ab and is healthy", "job 20250102-153000-rebuild-1a2b succeeded",
        ] {
            _ = reader.rebuildUpdates(line, elapsed: 5)
        }
        #expect(reader.rebuildOutcome(Self.status(.rebuild, .succeeded, exit: 0), elapsed: 9)
            == .success(.replaced(container: "oo-opencode", imageID: "0123456789abcdef", healthy: true)))
    }

    @Test func exitTwoIsNotHealthyWithTheRollbackOffer() {
        var reader = JobEventReader(kind: .rebuild)
        for line in Self.rebuildLog + [
            Self.event(.notHealthy(container: "oo-opencode", imageID: "0123456789abcdef",
                                   reason: "oo-opencode did not become healthy within 1 min 30 s",
                                   rollbackTo: "localhost/oo/opencode:previous")),
            "error: oo-opencode did not become healthy within 1 min 30 s",
            "job 20250102-153000-rebuild-1a2b failed (exit 2)",
        ] {
            _ = reader.rebuildUpdates(line, elapsed: 5)
        }
        #expect(reader.rebuildOutcome(Self.status(.rebuild, .failed, exit: 2), elapsed: 95) == .success(.notHealthy(
            container: "oo-opencode", imageID: "0123456789abcdef", reason: "oo-opencode did not become healthy within 1 min 30 s",
            previousTag: "localhost/oo/opencode:previous"
        )))
    }

    @Test func aFailedBuildLeavesTheContainerUntouched() {
        var reader = JobEventReader(kind: .rebuild)
        for line in ["STEP 1/2: FROM scratch", "Error: building at STEP \"RUN false\": exit status 1",
                     Self.event(.buildFailed(exitCode: 1, message: "building at STEP \"RUN false\": exit status 1", duration: 1))] {
            _ = reader.rebuildUpdates(line, elapsed: 1)
        }
        #expect(reader.rebuildOutcome(Self.status(.rebuild, .failed, exit: 1), elapsed: 3)
            == .success(.buildFailed(.failed(exitCode: 1, message: "building at STEP \"RUN false\": exit status 1", duration: 3))))
        var cancelled = JobEventReader(kind: .rebuild)
        _ = cancelled.rebuildUpdates(Self.event(.buildCancelled(duration: 2)), elapsed: 2)
        #expect(cancelled.rebuildOutcome(Self.status(.rebuild, .failed, exit: 130), elapsed: 3) == .success(.buildFailed(.cancelled(duration: 3))))
    }

    @Test func aFailureBeforeAnyResultIsTheJobsOwnWords() {
        var reader = JobEventReader(kind: .rebuild)
        _ = reader.rebuildUpdates(Self.event(.failed(message: "podman: no such image")), elapsed: 1)
        #expect(reader.rebuildOutcome(Self.status(.rebuild, .failed, exit: 1), elapsed: 1)
            == .failure(.commandFailed(command: "opencode-ops rebuild", exitCode: 1, detail: "podman: no such image")))
    }

    @Test func anAbandonedRebuildIsAFailureNamingTheJob() {
        let reader = JobEventReader(kind: .rebuild)
        guard case .failure(let failure) = reader.rebuildOutcome(Self.status(.rebuild, .abandoned, exit: nil), elapsed: 3) else {
            Issue.record("an abandoned job is not a failure")
            return
        }
        #expect(failure.message.contains("died without recording an end"))
        #expect(failure.message.contains("jobs log 20250102-153000-rebuild-1a2b"))
    }

    @Test func aBuildJobsOutcomeNamesTheTagAndImage() {
        var reader = JobEventReader(kind: .build)
        #expect(reader.buildUpdate(Self.event(.progress(step: 2, total: 5, instruction: "RUN make")), elapsed: 1) == nil)
        let line = reader.buildUpdate("STEP 2/5: RUN make", elapsed: 1)
        #expect(line == .line(PodmanBuildLine(text: "STEP 2/5: RUN make", progress: PodmanBuildProgress(step: 2, total: 5, instruction: "RUN make"), elapsed: 1)))
        _ = reader.buildUpdate(Self.event(.built(imageID: "0123456789abcdef", tag: "localhost/oo/opencode:latest", duration: 6)), elapsed: 7)
        #expect(reader.buildOutcome(Self.status(.build, .succeeded, exit: 0), elapsed: 7)
            == .succeeded(imageID: "0123456789abcdef", tag: "localhost/oo/opencode:latest", duration: 7))

        var failing = JobEventReader(kind: .build)
        _ = failing.buildUpdate(Self.event(.buildFailed(exitCode: 1, message: "no such file busybox", duration: 2)), elapsed: 2)
        #expect(failing.buildOutcome(Self.status(.build, .failed, exit: 1), elapsed: 2)
            == .failed(exitCode: 1, message: "no such file busybox", duration: 2))
        #expect(failing.buildOutcome(Self.status(.build, .failed, exit: 130), elapsed: 2) == .cancelled(duration: 2))
    }

    @Test func aRollbackJobReadsItsResultTheSameWay() {
        var reader = JobEventReader(kind: .rollback)
        for line in ["rolling back to localhost/oo/opencode:previous",
                     Self.event(.replaced(container: "oo-opencode", imageID: "fedcba987654", healthy: false))] {
            _ = reader.rebuildUpdates(line, elapsed: 1)
        }
        #expect(reader.rebuildOutcome(Self.status(.rollback, .succeeded, exit: 0), elapsed: 2)
            == .success(.replaced(container: "oo-opencode", imageID: "fedcba987654", healthy: false)))
    }
}

/// The console's side of jobs it did not run in-process: a refused start and a job picked up.
@Suite(.tags(.jobs)) struct JobConsoleReducerTests {
    @Test func aRefusedRebuildClearsTheRunAndNamesWhoRunsTheOtherJob() {
        var state = AppState()
        _ = state.startBuild(.rebuild)
        #expect(state.build.run != nil)
        let reason = "a rebuild job is already running (20250102-153000-rebuild-1a2b, started by ops from 10.0.0.5 at 2025-01-02 15:30:00)"
        let (refused, effects) = update(state, .jobs(.refused(JobRequest(kind: .rebuild), reason: reason)))
        #expect(effects.isEmpty)
        #expect(refused.build.run == nil)
        #expect(refused.build.lastResult?.text.contains("started by ops from 10.0.0.5") == true)
        #expect(refused.messages.last?.contains("rebuild not started") == true)
    }

    @Test func aRefusedRestoreIsNoLongerShownAsRunning() {
        var state = AppState()
        state.backups.restoring = "b-1"
        let (refused, _) = update(state, .jobs(.refused(JobRequest(kind: .restore, target: .backup(id: "b-1")), reason: "another data job is already running")))
        #expect(refused.backups.restoring == nil)
    }

    @Test func aRunningRebuildJobIsPickedUpAsTheRunThenItsOutcomeShows() {
        let job = JobEventReaderTests.status(.rebuild, .running, exit: nil)
        let (attached, _) = update(AppState(), .build(.attached(job, elapsed: 12)))
        #expect(attached.build.run?.kind == .rebuild)
        #expect(attached.build.run?.elapsed == 12)
        #expect(attached.messages.last?.contains(job.id) == true)
        let (ended, _) = update(attached, .build(.rebuild(.finished(.notHealthy(
            container: "oo-opencode", imageID: "", reason: "timed out", previousTag: "localhost/oo/opencode:previous"
        )))))
        #expect(ended.build.run == nil)
        #expect(ended.pod.rollbackOffer?.previousTag == "localhost/oo/opencode:previous")
        #expect(ended.build.lastResult?.status == .fail)
    }

    @Test func aRunningRestoreJobShowsAsTheRestore() {
        let (state, _) = update(AppState(), .backups(.restoreProgress(backupID: "b-7", line: "following job j")))
        #expect(state.backups.restoring == "b-7")
        #expect(state.backups.restoreNote == "following job j")
    }
}
