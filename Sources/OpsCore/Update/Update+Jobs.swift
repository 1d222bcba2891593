extension AppState {
    /// Applies a jobs action.
    mutating func reduce(_ action: JobsAction) -> [Effect] {
        switch action {
        case .listed(let jobs, let audit):
            let ended = self.jobs.running.compactMap { old in jobs.first { $0.id == old.id && $0.state.isFinished } }
            for job in ended {
                messages.append("job \(job.id) (\(job.kind.rawValue)) \(Self.outcome(of: job))", level: job.state == .succeeded ? .success : .failure)
            }
            if pod.operation == .apply, !jobs.contains(where: { $0.kind == .apply && $0.state == .running }) { pod.operation = nil }
            self.jobs.jobs = jobs
            self.jobs.audit = audit
            return []
        case .started(let job, let notes):
            messages += notes
            messages.append("started \(job.kind.rawValue) job \(job.id): it runs on if this console closes (J shows it)")
            self.jobs.jobs.removeAll { $0.id == job.id }
            self.jobs.jobs.insert(job, at: 0)
            return []
        case .refused(let request, let reason):
            messages.append("\(request.kind.rawValue) not started: \(reason)", level: .warning)
            // The panel showed the operation as starting: it did not.
            switch request.kind {
            case .build, .rebuild:
                build.run = nil
                build.lastResult = BuildResult(status: .warn, text: "\(request.kind.rawValue) not started: \(reason)")
            case .rollback, .apply:
                pod.operation = nil
            case .restore:
                if backups.restoring == request.target?.backupID { backups.restoring = nil }
                backups.restoreRecord = nil
                backups.restoreNote = nil
            case .verify:
                if backups.verifying == request.target?.backupID { backups.verifying = nil }
                backups.verifyNote = nil
            case .backup:
                break
            }
            return []
        case .output(let id, let lines):
            return appendAttachedOutput(id, lines)
        case .outputSkipped(let id, let count):
            guard count > 0 else { return [] }
            return appendAttachedOutput(id, ["--- \(count) lines skipped: they came faster than the page keeps ---"])
        case .outputEnded(let id):
            guard jobs.attachedJobID == id else { return [] }
            jobs.attachedJobID = nil
            if case .page(var page)? = overlay {
                page.title = "Job \(id) (ended)"
                overlay = .page(page)
            }
            return [.jobs(.refresh)]
        }
    }

    /// Adds lines to the attached job's page, keeping the newest `log_lines` (as the log view
    /// does) and the view where the operator left it.
    private mutating func appendAttachedOutput(_ id: String, _ lines: [String]) -> [Effect] {
        guard jobs.attachedJobID == id else { return [] }
        guard case .page(var page)? = overlay else {
            // The operator closed the page: stop reading; the job goes on.
            jobs.attachedJobID = nil
            return [.jobs(.detach)]
        }
        let visible = max(1, height - 4)
        let wasAtEnd = page.scroll >= page.lines.count - visible
        page.lines += lines
        let excess = page.lines.count - max(visible, settings.logLines)
        if excess > 0 {
            page.lines.removeFirst(excess)
            page.scroll = max(0, page.scroll - excess)
        }
        if wasAtEnd { page.scroll = max(0, page.lines.count - visible) }
        overlay = .page(page)
        return []
    }

    /// Runs a jobs command chosen by key or palette.
    mutating func runJobs(_ command: Command) -> [Effect] {
        switch command {
        case .jobs:
            if case .jobs? = overlay {
                overlay = nil
                return []
            }
            overlay = .jobs(scroll: 0)
            return [.jobs(.refresh)]
        case .open:
            guard case .jobs(let row)? = overlay, let job = jobs.job(atRow: row) else { return [] }
            let following = job.state == .running ? "following" : job.state.rawValue
            overlay = .page(TextPage(title: "Job \(job.id) (\(following))", lines: []))
            var effects: [Effect] = []
            if jobs.attachedJobID != nil { effects.append(.jobs(.detach)) }
            jobs.attachedJobID = job.id
            effects.append(.jobs(.attach(jobID: job.id)))
            return effects
        default:
            return []
        }
    }

    /// Carries out a jobs operation the operator confirmed.
    mutating func confirmJobs(_ operation: ConfirmedOperation) -> [Effect] {
        guard operation == .quitWhileJobsRun else { return [] }
        isRunning = false
        return [.quit]
    }

    static func outcome(of job: JobStatus) -> String {
        switch job.state {
        case .running: return "is running"
        case .succeeded: return "succeeded"
        case .failed: return "failed (exit \(job.exitCode ?? -1))"
        case .abandoned: return "was abandoned (its process died)"
        }
    }
}
