import Foundation
import Testing
@testable import OpsCore

@Suite(.tags(.jobs)) struct JobsUpdateTests {
    static func job(_ id: String, _ state: JobRunState, kind: JobKind = .rebuild, exit: Int32? = nil) -> JobStatus {
        JobStatus(
            id: id, kind: kind, arguments: kind.arguments(), user: "ops", sshClient: "10.0.0.5", pid: 42,
            startedAt: Date(timeIntervalSince1970: 1_700_000_000), state: state, exitCode: exit
        )
    }

    @Test func quittingWhileAJobRunsAsksAndSaysHowToSeeItAgain() {
        var state = AppState()
        state.jobs.jobs = [Self.job("j1", .running)]
        let (asked, effects) = update(state, .key(.character("q")))
        #expect(effects.isEmpty)
        #expect(asked.isRunning)
        guard case .confirm(let confirmation)? = asked.overlay else {
            Issue.record("no confirmation")
            return
        }
        let text = confirmation.lines.joined(separator: "\n")
        #expect(text.contains("keeps running"))
        #expect(text.contains("opencode-ops jobs attach j1"))
        let (quit, quitEffects) = update(asked, .key(.character("y")))
        #expect(!quit.isRunning)
        #expect(quitEffects == [.quit])
    }

    @Test func quittingWithOnlyFinishedJobsDoesNotAsk() {
        var state = AppState()
        state.jobs.jobs = [Self.job("j1", .succeeded), Self.job("j2", .abandoned)]
        let (next, effects) = update(state, .key(.character("q")))
        #expect(!next.isRunning)
        #expect(effects == [.quit])
    }

    @Test func jOpensTheOverlayAndEnterFollowsTheSelectedJob() {
        var state = AppState()
        state.jobs.jobs = [Self.job("new", .running), Self.job("old", .failed, exit: 1)]
        var (next, effects) = update(state, .key(.character("J")))
        #expect(next.overlay == .jobs(scroll: 0))
        #expect(effects == [.jobs(.refresh)])
        (next, _) = update(next, .key(.character("j")))
        (next, effects) = update(next, .key(.enter))
        #expect(effects == [.jobs(.attach(jobID: "old"))])
        #expect(next.jobs.attachedJobID == "old")
        (next, _) = update(next, .jobs(.output(jobID: "old", lines: ["STEP 1/2", "STEP 2/2"])))
        guard case .page(let page)? = next.overlay else {
            Issue.record("no page")
            return
        }
        #expect(page.lines == ["STEP 1/2", "STEP 2/2"])
        // Closing the page detaches at the next line; the job itself is untouched.
        (next, _) = update(next, .key(.escape))
        (next, effects) = update(next, .jobs(.output(jobID: "old", lines: ["more"])))
        #expect(effects == [.jobs(.detach)])
        #expect(next.jobs.attachedJobID == nil)
    }

    @Test func theAttachedPageKeepsTheNewestLinesAndSaysWhatWasSkipped() {
        var state = AppState()
        state.settings.logLines = 50
        state.height = 24
        state.jobs.jobs = [Self.job("chatty", .running)]
        state = update(state, .key(.character("J"))).0
        state = update(state, .key(.enter)).0
        state = update(state, .jobs(.output(jobID: "chatty", lines: (1...40).map { "line \($0)" }))).0
        state = update(state, .jobs(.outputSkipped(jobID: "chatty", count: 9_000))).0
        state = update(state, .jobs(.output(jobID: "chatty", lines: (9_041...9_070).map { "line \($0)" }))).0
        guard case .page(let page)? = state.overlay else {
            Issue.record("no page")
            return
        }
        #expect(page.lines.count == 50)
        #expect(page.lines.last == "line 9070")
        #expect(page.lines.contains("--- 9000 lines skipped: they came faster than the page keeps ---"))
        #expect(page.lines.first == "line 22", "40 + the note + 30 lines, less the 21 oldest")
        // Following the end: the last screenful shows.
        #expect(page.scroll == 50 - (24 - 4))
    }

    @Test func aJobEndingElsewhereIsAnnounced() {
        var state = AppState()
        state.jobs.jobs = [Self.job("b1", .running, kind: .backup)]
        let (next, _) = update(state, .jobs(.listed(jobs: [Self.job("b1", .failed, kind: .backup, exit: 2)], audit: [])))
        #expect(next.messages.last == "job b1 (backup) failed (exit 2)")
        #expect(next.jobs.running.isEmpty)
    }

    @Test func aRefusedStartSaysWhoHoldsTheLock() {
        let (next, _) = update(AppState(), .jobs(.refused(JobRequest(kind: .backup), reason: "a backup job is already running (started by ops)")))
        #expect(next.messages.last?.contains("backup not started: a backup job is already running") == true)
    }

    @Test func lockGroupsKeepBuildsAndDataJobsApart() {
        #expect(JobKind.build.lockName == JobKind.rebuild.lockName)
        #expect(JobKind.backup.lockName == JobKind.restore.lockName)
        #expect(JobKind.build.lockName != JobKind.backup.lockName)
        #expect(JobRequest(kind: .restore, target: .backup(id: "b-1")).arguments == ["backup", "restore", "b-1", "--yes"])
    }
}
