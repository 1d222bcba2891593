import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import Testing

/// Jobs start through `JobsEffect.start` alone and are followed to their end; the runner is
/// driven with recorded jobs and posts into a real mailbox.
struct JobsEffectRunnerTests {
    @Test func aBuildThatFailsEndsWithPodmansReason() async {
        let jobs = RecordedJobs(launches: [.success(Recordings.failedBuild)])
        let console = ConsoleFixture(jobs: jobs)
        let request = JobRequest(kind: .build, target: .image(tag: "localhost/opencode-ops-test/example:fail"))
        JobsEffectRunner(context: console.context).perform(.start(request))

        let outcome = await console.posted.first { action -> PodmanBuildOutcome? in
            if case .build(.build(.finished(let outcome))) = action { return outcome }
            return nil
        }
        guard case .failed(let code, let message, _)? = outcome else {
            Issue.record("no failed build: \(String(describing: outcome))")
            return
        }
        #expect(code == 1)
        #expect(message.contains("exit status 3"))
        #expect(jobs.requests == [request])
        let started = console.posted.all { action -> String? in
            if case .jobs(.started(let status, _)) = action { return status.id }
            return nil
        }
        #expect(started == ["build-20261129T023831Z-118c"])
        // podman's lines reach the panel as build lines, the events do not.
        let lines = console.posted.all { action -> String? in
            if case .build(.build(.line(let line))) = action { return line.text }
            return nil
        }
        #expect(lines.contains("compiling"))
        #expect(!lines.contains { $0.hasPrefix("@opencode-ops-event") })
    }

    @Test func aRebuildRefusedBeforeBuildingEndsWithItsFailedEvent() async {
        let console = ConsoleFixture(jobs: RecordedJobs(launches: [.success(Recordings.rebuildRefused)]))
        JobsEffectRunner(context: console.context).perform(.start(JobRequest(kind: .rebuild, target: .image(tag: "localhost/example:1"))))
        let failure = await console.posted.first { action -> PodmanFailure? in
            if case .build(.rebuild(.failed(let failure))) = action { return failure }
            return nil
        }
        guard case .commandFailed(_, let code, let detail)? = failure else {
            Issue.record("no failed rebuild: \(String(describing: failure))")
            return
        }
        #expect(code == 1)
        #expect(detail == "podman: no such image")
    }

    @Test func aRestoreWhoseSidecarReloadFailsEndsWithThatProblem() async {
        let console = ConsoleFixture(jobs: RecordedJobs(launches: [.success(Recordings.restoreWithFailedReload)]))
        JobsEffectRunner(context: console.context).perform(.start(JobRequest(kind: .restore, target: .backup(id: "20261127T020000Z-1a2b"))))
        let problem = await console.posted.first { action -> String?? in
            if case .backups(.restoreEnded(let backupID, let problem)) = action, backupID == "20261127T020000Z-1a2b" { return problem }
            return nil
        }
        #expect(problem == .some("falkordb: DEBUG RELOAD: ERR unknown command"))
        let loads = console.posted.all { action -> BackupSidecarLoad? in
            if case .backups(.sidecarLoaded(let load)) = action { return load }
            return nil
        }
        #expect(loads.map(\.service) == ["valkey", "falkordb"])
        #expect(loads.map(\.succeeded) == [true, false])
        let progress = console.posted.all { action -> String? in
            if case .backups(.restoreProgress(_, let line)) = action { return line }
            return nil
        }
        #expect(progress.contains("restoring files"))
        #expect(!progress.contains { $0.hasPrefix("@opencode-ops-event") })
    }

    @Test func aRestoreRefusedBeforeTheScriptsRanEndsWithTheJobsWords() async {
        let console = ConsoleFixture(jobs: RecordedJobs(launches: [.success(Recordings.restoreWithoutPod)]))
        JobsEffectRunner(context: console.context).perform(.start(JobRequest(kind: .restore, target: .backup(id: "20261127T020000Z-1a2b"))))
        let problem = await console.posted.first { action -> String?? in
            if case .backups(.restoreEnded(_, let problem)) = action { return problem }
            return nil
        }
        guard case .some(.some(let text)) = problem else {
            Issue.record("the restore was reported as done")
            return
        }
        #expect(text.contains("restore-20261129T023849Z-ed5c"))
    }

    @Test func aBuildRunningWhenTheConsoleOpensIsPickedUpAndFollowedToItsEnd() async {
        let jobs = RecordedJobs(existing: [Recordings.build])
        let console = ConsoleFixture(jobs: jobs)
        JobsEffectRunner(context: console.context).perform(.resume)

        let attached = await console.posted.first { action -> JobStatus? in
            if case .build(.attached(let job, _)) = action { return job }
            return nil
        }
        #expect(attached?.id == "build-20261129T023906Z-283a")
        let outcome = await console.posted.first { action -> PodmanBuildOutcome? in
            if case .build(.build(.finished(let outcome))) = action { return outcome }
            return nil
        }
        guard case .succeeded(let imageID, let tag, _)? = outcome else {
            Issue.record("no build result: \(String(describing: outcome))")
            return
        }
        #expect(imageID.hasPrefix("12e36412f732"))
        #expect(tag == "localhost/opencode-ops-test/example:ok")
        #expect(jobs.requests.isEmpty, "a picked-up job is not started again")
    }

    @Test func aRestoreRunningWhenTheConsoleOpensIsFollowed() async {
        let console = ConsoleFixture(jobs: RecordedJobs(existing: [Recordings.restoreWithFailedReload]))
        JobsEffectRunner(context: console.context).perform(.resume)
        let problem = await console.posted.first { action -> String?? in
            if case .backups(.restoreEnded(_, let problem)) = action { return problem }
            return nil
        }
        #expect(problem == .some("falkordb: DEBUG RELOAD: ERR unknown command"))
        let first = console.posted.all { action -> String? in
            if case .backups(.restoreProgress(_, let line)) = action { return line }
            return nil
        }.first
        #expect(first == "following job restore-20261129T024100Z-5e0f, started by root")
    }

    @Test func aBusyLockIsARefusalNamingTheRequest() async {
        let busy = JobLaunchError.lock(.busy(lock: "image", holder: nil))
        let console = ConsoleFixture(jobs: RecordedJobs(launches: [.failure(busy)]))
        let request = JobRequest(kind: .rollback, target: .image(tag: "localhost/example:1"))
        JobsEffectRunner(context: console.context).perform(.start(request))
        let refused = await console.posted.first { action -> (JobRequest, String)? in
            if case .jobs(.refused(let request, let reason)) = action { return (request, reason) }
            return nil
        }
        #expect(refused?.0 == request)
        #expect(refused?.1 == busy.description)
    }

    @Test func aReadOnlyConsoleStartsNoJobAndAuditsTheRefusal() async {
        let jobs = RecordedJobs(launches: [.success(Recordings.build)])
        let console = ConsoleFixture(jobs: jobs, readonly: true)
        JobsEffectRunner(context: console.context).perform(.start(JobRequest(kind: .build, target: .image(tag: "localhost/example:1"))))
        let reason = await console.posted.first { action -> String? in
            if case .jobs(.refused(_, let reason)) = action { return reason }
            return nil
        }
        #expect(reason == "read-only")
        #expect(jobs.requests.isEmpty)
        #expect(jobs.records.map(\.result) == ["refused: read-only"])
    }

    @Test func theWatchListsOnlyWhatChanged() async {
        let jobs = RecordedJobs(existing: [Recordings.build])
        let console = ConsoleFixture(jobs: jobs)
        let runner = JobsEffectRunner(context: console.context)
        runner.perform(.refresh)
        runner.perform(.watch)
        // The refresh lists once, the watch once for its two wake-ups with nothing new.
        #expect(await console.posted.wait { _ in jobs.watchEnded })
        #expect(console.posted.all { if case .jobs(.listed(let jobs, _)) = $0 { return jobs.count } else { return nil } } == [1, 1])
    }
}
