import Foundation
import OpsAdapters
import OpsCore

/// Follows a job to its end and posts what its log and status say as the actions the panels
/// render: an image job (build, rebuild, rollback) as build lines, phases and its result; a
/// restore or verify as progress lines, sidecar loads and its end. The console decides from
/// the typed events alone (see `JobLogLine`).
struct JobFollower: Sendable {
    let jobs: any ConsoleJobs
    let post: @Sendable (Action) -> Void
    let tasks: TaskHolder

    /// Follows `job` from the start of its log. `replaysLines` false: the job ended before this
    /// console opened, and only its result is shown, as earlier.
    func follow(_ job: JobStatus, replaysLines: Bool = true) {
        switch job.kind {
        case .build, .rebuild, .rollback: followImage(job, replaysLines: replaysLines)
        case .restore: followRestore(job)
        case .verify: followVerify(job)
        case .backup, .apply: break
        }
    }

    /// The jobs another console, the CLI, or this console before an SSH drop started: the last
    /// image job (a finished one shows its result as the panel's last one), and a running
    /// restore and verify.
    func resume() {
        let listed = jobs.list()
        if let job = listed.first(where: { $0.kind.lockName == JobKind.rebuild.lockName }) {
            if job.state == .running {
                post(.build(.attached(job, elapsed: Date().timeIntervalSince(job.startedAt))))
            }
            follow(job, replaysLines: job.state == .running)
        }
        for kind in [JobKind.restore, .verify] {
            guard let job = listed.first(where: { $0.state == .running && $0.kind == kind }) else { continue }
            let line = "following job \(job.id), started by \(job.startedBy)"
            let backupID = Self.backupID(of: job)
            post(.backups(kind == .restore
                ? .restoreProgress(backupID: backupID, line: line)
                : .verifyProgress(backupID: backupID, line: line)))
            follow(job)
        }
    }

    /// Relays an image job's output as build lines and phases, the elapsed time every second,
    /// and its result when its status records the end.
    private func followImage(_ job: JobStatus, replaysLines: Bool) {
        let jobs = jobs
        let post = post
        let started = job.startedAt
        let clock = Task.detached {
            while !Task.isCancelled, job.kind != .rollback, job.state == .running {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                if Task.isCancelled { break }
                post(.build(.tick(elapsed: Date().timeIntervalSince(started))))
            }
        }
        tasks.replace("clock", with: clock)
        // A job that had ended before this console opened: its result is shown as earlier.
        let ended: @Sendable (BuildAction) -> Void = { action in
            post(.build(replaysLines ? action : .beforeThisConsole(action)))
        }
        tasks.replace("image", with: Task.detached {
            var reader = JobEventReader(kind: job.kind)
            for await line in jobs.lines(of: job.id) {
                let elapsed = Date().timeIntervalSince(started)
                switch replaysLines ? job.kind : .rollback {
                case .build:
                    if let update = reader.buildUpdate(line, elapsed: elapsed) { post(.build(.build(update))) }
                case .rebuild:
                    for update in reader.rebuildUpdates(line, elapsed: elapsed) { post(.build(.rebuild(update))) }
                default:
                    _ = reader.rebuildUpdates(line, elapsed: elapsed)
                }
            }
            clock.cancel()
            // The console is closing: the job goes on, and the next console picks it up.
            if Task.isCancelled { return }
            var status = jobs.read(job.id) ?? job
            if status.state == .running { status.state = .abandoned }
            let elapsed = (status.endedAt ?? Date()).timeIntervalSince(started)
            switch job.kind {
            case .build:
                ended(.build(.finished(reader.buildOutcome(status, elapsed: elapsed))))
            case .rebuild:
                switch reader.rebuildOutcome(status, elapsed: elapsed) {
                case .success(let outcome): ended(.rebuild(.finished(outcome)))
                case .failure(let failure): ended(.rebuild(.failed(failure)))
                }
            case .rollback:
                post(.pod(.rollbackFinished(reader.rebuildOutcome(status, elapsed: elapsed))))
            case .backup, .restore, .verify, .apply:
                break
            }
        })
    }

    /// Shows a restore job's text lines as progress, its sidecar loads, and its end.
    private func followRestore(_ job: JobStatus) {
        let backupID = Self.backupID(of: job)
        followBackupJob(job, progress: { .restoreProgress(backupID: backupID, line: $0) }) { event in
            if case .sidecarLoaded(let service, let succeeded, let detail) = event {
                return .sidecarLoaded(BackupSidecarLoad(service: service, succeeded: succeeded, detail: detail))
            }
            return nil
        } end: { events, status in
            .restoreEnded(backupID: backupID, problem: events.restoreProblem(status))
        }
    }

    /// Shows a verify job's text lines as progress, then the result its event gives.
    private func followVerify(_ job: JobStatus) {
        let backupID = Self.backupID(of: job)
        followBackupJob(job, progress: { .verifyProgress(backupID: backupID, line: $0) }, event: { _ in nil }) { events, status in
            let (summary, problem) = events.verifyResult(status)
            return .verifyEnded(backupID: backupID, summary: summary, problem: problem)
        }
    }

    /// A restore's or verify's log: text lines as progress, events read (and those the panel
    /// shows as they come posted), then the end read with the job's status.
    private func followBackupJob(
        _ job: JobStatus, progress: @escaping @Sendable (String) -> BackupsAction,
        event shown: @escaping @Sendable (JobEvent) -> BackupsAction?,
        end: @escaping @Sendable (BackupJobEvents, JobStatus) -> BackupsAction
    ) {
        let jobs = jobs
        let post = post
        tasks.replace(job.kind.rawValue, with: Task.detached {
            var events = BackupJobEvents()
            for await line in jobs.lines(of: job.id) {
                switch JobLogLine(line) {
                case .event(let event):
                    events.read(event)
                    if let action = shown(event) { post(.backups(action)) }
                case .text(let text):
                    if !text.isEmpty { post(.backups(progress(text))) }
                }
            }
            if Task.isCancelled { return }
            post(.backups(end(events, jobs.read(job.id) ?? job)))
        })
    }

    /// The backup a restore or verify reads; a status written before targets were recorded
    /// names the job by its id.
    static func backupID(of job: JobStatus) -> String {
        job.target?.backupID ?? job.id
    }
}
