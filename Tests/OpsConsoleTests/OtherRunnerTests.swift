import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import Testing

/// The build, backups and pod runners, each driven with recorded adapter answers.
struct OtherRunnerTests {
    @Test func cancelInterruptsTheRunningBuildJobWhoeverStartedIt() async {
        let jobs = RecordedJobs(existing: [Recordings.build, Recordings.rebuildRefused])
        let console = ConsoleFixture(jobs: jobs)
        BuildEffectRunner(context: console.context).perform(.cancel)
        #expect(jobs.interrupted == ["build-20261129T023906Z-283a"])
    }

    @Test func aBusyBackupTriggerIsPostedAndAudited() async {
        let jobs = RecordedJobs()
        let console = ConsoleFixture(jobs: jobs)
        let target = BackupTarget(container: "opencode-opencode", falkordb: "opencode-falkordb", valkey: "opencode-valkey")
        BackupsEffectRunner(context: console.context).perform(.trigger(target))
        let outcome = await console.posted.first { action -> BackupTriggerOutcome? in
            if case .backups(.triggered(let outcome)) = action { return outcome }
            return nil
        }
        guard case .busy(let running, _)? = outcome else {
            Issue.record("no busy outcome: \(String(describing: outcome))")
            return
        }
        #expect(running == "20261129T020000Z-0a0b")
        #expect(jobs.records.map(\.action) == ["backup"])
        #expect(jobs.records.first?.result.hasPrefix("refused: busy (20261129T020000Z-0a0b runs)") == true)
    }

    @Test func aFollowedRunThatStopsReportingSaysWhy() async {
        var scripts = RecordedBackupScripts()
        scripts.followed = [
            BackupRunRecord(id: "20261129T030000Z-1c2d", startedAt: "2026-11-29T03:00:00Z", phase: "upload", result: .running),
        ]
        let (console, problem) = await Self.follow(scripts)
        #expect(problem == .some("the container opencode-opencode stopped (exit 137)"))
        #expect(console.posted.all { if case .backups(.runUpdated(let record)) = $0 { return record.phase } else { return nil } } == ["upload"])
    }

    @Test func aRunFollowedToItsEndHasNoProblem() async {
        var scripts = RecordedBackupScripts()
        scripts.followed = [
            BackupRunRecord(id: "20261129T030000Z-1c2d", startedAt: "2026-11-29T03:00:00Z", phase: "upload", result: .running),
            BackupRunRecord(id: "20261129T030000Z-1c2d", startedAt: "2026-11-29T03:00:00Z", phase: "done", result: .succeeded),
        ]
        let (_, problem) = await Self.follow(scripts)
        #expect(problem == .some(nil))
    }

    @Test func aFailedUpIsPostedAndAudited() async {
        let jobs = RecordedJobs()
        let console = ConsoleFixture(jobs: jobs)
        PodEffectRunner(context: console.context).perform(.up)
        let result = await console.posted.first { action -> Result<PodmanBringUpResult, PodmanFailure>? in
            if case .pod(.upFinished(let result)) = action { return result }
            return nil
        }
        guard case .failure(let failure)? = result else {
            Issue.record("no failed up: \(String(describing: result))")
            return
        }
        #expect(failure.message.contains("no such image"))
        #expect(jobs.records.map(\.action) == ["up"])
        #expect(jobs.records.first?.result.hasPrefix("failed: ") == true)
    }

    @Test func theWatchRelaysThePodsUpdates() async {
        var pod = RecordedPod()
        pod.updates = [.disconnected(reason: "podman events ended", attempt: 1)]
        let console = ConsoleFixture(pod: pod)
        PodEffectRunner(context: console.context).perform(.watch)
        let update = await console.posted.first { action -> PodmanWatchUpdate? in
            if case .pod(.watch(let update)) = action { return update }
            return nil
        }
        #expect(update == .disconnected(reason: "podman events ended", attempt: 1))
    }

    /// Follows run 20261129T030000Z-1c2d with `scripts`; returns the problem its end gave.
    static func follow(_ scripts: RecordedBackupScripts) async -> (ConsoleFixture, String??) {
        let console = ConsoleFixture(backups: scripts)
        let target = BackupTarget(container: "opencode-opencode", falkordb: "opencode-falkordb", valkey: "opencode-valkey")
        BackupsEffectRunner(context: console.context).perform(.follow(target, runID: "20261129T030000Z-1c2d"))
        let problem = await console.posted.first { action -> String?? in
            if case .backups(.followEnded(_, let problem)) = action { return problem }
            return nil
        }
        return (console, problem)
    }
}
