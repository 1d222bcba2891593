extension AppState {
    /// Applies a backups action.
    mutating func reduce(_ action: BackupsAction) -> [Effect] {
        switch action {
        case .podChanged(let target, let reason):
            return podChanged(target, reason: reason)
        case .scheduleLoaded(let schedule, let now):
            let known = backups.schedule == schedule && backups.scheduleProblem == nil
            backups.schedule = schedule
            backups.scheduleProblem = nil
            backups.nextRun = nil
            if !known { backups.scheduleInterval = nil }
            if let schedule {
                switch BackupCronSchedule.parse(schedule) {
                case .success(let cron):
                    backups.nextRun = cron.nextRun(after: now)
                    // Walking a week of runs costs some time: once per schedule.
                    if !known { backups.scheduleInterval = cron.longestInterval(after: now) }
                case .failure(let problem): backups.scheduleProblem = problem.message
                }
            }
            return []
        case .drillLoaded(let drill):
            backups.lastDrill = drill
            return []
        case .runsLoaded(let runs):
            backups.runs = runs
            backups.isLoaded = true
            if backups.remote == nil { backups.remote = runs.compactMap(\.remote).first }
            // A run started elsewhere (cron, another console, the subcommand) is followed too.
            if backups.active == nil, let running = runs.first(where: { $0.kind == .backup && $0.result == .running }),
               let target = backups.target {
                backups.active = running
                return [.backups(.follow(target, runID: running.id))]
            }
            return []
        case .listingLoaded(let listing):
            backups.listing = listing.backups
            backups.listingError = nil
            backups.remote = listing.remote
            backups.remoteWarnings = listing.warnings ?? []
            backups.drill = listing.drill
            // The last scheduled verify is the drill the freshness line shows with its age.
            backups.lastDrill = listing.drill?.last.flatMap { BackupDrill($0) }
            return []
        case .listingFailed(let problem):
            backups.listing = nil
            backups.listingError = problem
            return []
        case .offlineListed(let listing, let source):
            // Only while the pod is down; a cached copy never replaces a fresher one-off listing.
            guard backups.target == nil else { return [] }
            if case .cache = source, case .oneOff? = backups.offlineSource { return [] }
            if case .oneOff = source { backups.isListingOffline = false; backups.offlineProblem = nil }
            backups.offlineSource = source
            backups.listing = listing.backups
            backups.listingError = nil
            backups.remote = listing.remote
            backups.remoteWarnings = listing.warnings ?? []
            backups.isLoaded = true
            return []
        case .offlineFailed(let problem):
            guard backups.target == nil else { return [] }
            backups.isListingOffline = false
            backups.offlineProblem = problem
            return []
        case .triggered(let outcome):
            return triggered(outcome)
        case .runUpdated(let record):
            return runUpdated(record)
        case .followEnded(let runID, let problem):
            guard backups.active?.id == runID else { return [] }
            backups.active = nil
            if let problem { messages.append("backup \(runID): \(problem)", level: .failure) }
            return refreshEffects()
        case .logLoaded(let runID, let lines):
            overlay = .page(TextPage(title: "run \(runID) log", lines: lines.isEmpty ? ["(the log is empty)"] : lines))
            return []
        case .planLoaded(let plan):
            var lines = ["Backup \(plan.id)" + (plan.host.map { " from \($0)" } ?? "") + " will overwrite:"]
            lines += plan.overwriteLines.map { "  " + $0 }
            if !plan.sidecars.isEmpty {
                lines.append("The sidecars are stopped, loaded and started again.")
            }
            overlay = .confirm(Confirmation(
                title: "Restore backup \(plan.id)?", lines: lines, operation: .restore(backupID: plan.id, step: 1)
            ))
            return []
        case .sidecarLoaded(let load):
            backups.restoreNote = "\(load.service): \(load.detail)"
            messages.append("restore: \(load.service) \(load.succeeded ? "loaded" : "NOT loaded"): \(load.detail)", level: load.succeeded ? .success : .failure)
            return []
        case .restoreProgress(let backupID, let line):
            backups.restoring = backupID
            backups.restoreNote = line
            return []
        case .restoreEnded(let backupID, let problem):
            backups.restoring = nil
            backups.restoreRecord = nil
            backups.restoreNote = nil
            messages.append(problem.map { "restore of \(backupID) failed: \($0)" } ?? "restore of \(backupID) done", level: problem == nil ? .success : .failure)
            return refreshEffects()
        case .verifyProgress(let backupID, let line):
            backups.verifying = backupID
            backups.verifyNote = line
            return []
        case .verifyEnded(let backupID, let summary, let problem):
            backups.verifying = nil
            backups.verifyNote = nil
            if let problem {
                messages.append("verify of \(backupID) FAILED: \(problem)", level: .failure)
            } else {
                messages.append("verify of \(backupID) passed" + (summary.map { ": \($0)" } ?? ""), level: .success)
            }
            return refreshEffects()
        case .failed(let problem):
            backups.isTriggering = false
            messages.append(problem, level: .failure)
            return []
        }
    }

    /// Runs a backups command chosen by key or palette.
    mutating func runBackups(_ command: Command) -> [Effect] {
        switch command {
        case .backupNow:
            guard let target = backups.target else {
                messages.append("no pod running: backups run in the OpenCode container of pod \(settings.pod)", level: .warning)
                return []
            }
            if let running = runningDescription {
                messages.append(running, level: .warning)
                return []
            }
            overlay = .confirm(Confirmation(
                title: "Run a backup now?",
                lines: [
                    "Snapshot FalkorDB, Valkey and OpenCode's data and config,",
                    "upload to \(backups.remote ?? "the remote configured in \(target.container)"),",
                    "verify, then apply retention.",
                ],
                operation: .backupNow
            ))
            return []
        case .restore:
            guard let target = backups.target else {
                let what = selectedBackupRow.map { "backup \($0.shortID)" } ?? "a backup"
                messages.append("restoring \(what) needs the pod up: the restore runs in its OpenCode container and reloads FalkorDB and Valkey; press u, then R", level: .warning)
                return []
            }
            guard let row = selectedBackupRow else {
                messages.append("no backup selected", level: .warning)
                return []
            }
            if let running = runningDescription {
                messages.append("restore refused: \(running)", level: .warning)
                return []
            }
            guard row.isRestorable else {
                messages.append("backup \(row.id) cannot be restored: it is \(row.statusWord), only verified backups are", level: .warning)
                return []
            }
            return [.backups(.planRestore(target, backupID: row.id))]
        case .verifyBackup:
            guard backups.target != nil else {
                messages.append("no pod running: verify runs in the OpenCode container of pod \(settings.pod)", level: .warning)
                return []
            }
            guard let row = selectedBackupRow else {
                messages.append("no backup selected", level: .warning)
                return []
            }
            guard row.isVerifiable else {
                messages.append("\(row.id) is not a backup on the remote (it is \(row.statusWord)): select a backup to verify", level: .warning)
                return []
            }
            if let running = runningDescription {
                messages.append("verify refused: \(running)", level: .warning)
                return []
            }
            overlay = .confirm(Confirmation(
                title: "Verify backup \(row.id)?",
                lines: [
                    "Download it from the remote, check every file against its",
                    "manifest's sha256, and test-restore the databases into scratch space",
                    "(SQLite integrity_check, each RDB loaded). Nothing live changes;",
                    "a backup started meanwhile is refused until it ends.",
                ],
                operation: .verifyBackup(backupID: row.id)
            ))
            return []
        case .open:
            guard let row = selectedBackupRow else { return [] }
            guard let target = backups.target, row.hasLog else {
                var lines = ["id:      \(row.id)", "time:    \(BackupFormat.rowTime(row.startedAt)) UTC", "state:   \(row.statusWord)",
                             "trigger: \(row.triggerWord ?? "unknown")", "size:    \(row.bytes.map(BackupFormat.bytes) ?? "unknown")"]
                lines.append(backups.target == nil
                    ? "The pod is down: its run log is read from the OpenCode container once it is up (u)."
                    : "No run record here: this backup was made by another host or its record was pruned.")
                overlay = .page(TextPage(title: "backup \(row.id)", lines: lines))
                return []
            }
            return [.backups(.loadLog(target, runID: row.id))]
        default:
            return []
        }
    }

    /// Carries out a backups operation the operator confirmed.
    mutating func confirmBackups(_ operation: ConfirmedOperation) -> [Effect] {
        guard let target = backups.target else {
            messages.append("no pod running: backups run in the OpenCode container of pod \(settings.pod)", level: .warning)
            return []
        }
        switch operation {
        case .backupNow:
            if let running = runningDescription {
                messages.append(running, level: .warning)
                return []
            }
            backups.isTriggering = true
            return [.backups(.trigger(target))]
        case .restore(let backupID, 1):
            let shortID = BackupFormat.shortID(backupID)
            overlay = .confirm(Confirmation(
                title: "Really restore \(backupID)?",
                lines: [
                    "Second confirmation: the data named before is replaced",
                    "by backup \(backupID). What it replaces is kept for the scripts' restore --undo.",
                    "Type \(shortID) (the backup's short id) or the word restore, then Enter.",
                ],
                operation: .restore(backupID: backupID, step: 2),
                typedAnswers: [shortID, "restore"]
            ))
            return []
        case .verifyBackup(let backupID):
            if let running = runningDescription {
                messages.append("verify refused: \(running)", level: .warning)
                return []
            }
            backups.verifying = backupID
            backups.verifyNote = nil
            return [.jobs(.start(JobRequest(kind: .verify, target: .backup(id: backupID))))]
        case .restore(let backupID, _):
            if let running = runningDescription {
                messages.append("restore refused: \(running)", level: .warning)
                return []
            }
            backups.restoring = backupID
            backups.restoreRecord = nil
            backups.restoreNote = nil
            return [.jobs(.start(JobRequest(kind: .restore, target: .backup(id: backupID))))]
        default:
            return []
        }
    }

    /// The selected history row after the panel's filter.
    var selectedBackupRow: BackupHistoryRow? {
        let rows = backups.visibleRows(filter: position(of: .backups).filter)
        guard !rows.isEmpty else { return nil }
        return rows[min(max(0, position(of: .backups).selection), rows.count - 1)]
    }

    /// Why a new backup or restore cannot start now, naming the running one; nil when idle.
    private var runningDescription: String? {
        if let active = backups.active {
            return "a backup is already running: \(active.id) (\(active.trigger), phase \(active.phase), started \(BackupFormat.shortTime(active.startedAt)))"
        }
        if backups.isTriggering { return "a backup is starting" }
        if let restoring = backups.restoring { return "a restore of \(restoring) is running" }
        if let verifying = backups.verifying { return "a verify of \(verifying) is running" }
        return nil
    }

    private mutating func podChanged(_ target: BackupTarget?, reason: String) -> [Effect] {
        guard let target else {
            // Already down and listed (or listing): another snapshot without the pod changes nothing.
            if case .absent = backups.pod, backups.offlineSource != nil || backups.isListingOffline || backups.offlineProblem != nil {
                backups.pod = .absent(reason: reason)
                return []
            }
            backups = BackupsState()
            backups.pod = .absent(reason: reason)
            backups.isListingOffline = true
            return [.backups(.listOffline)]
        }
        guard backups.target != target else { return [] }
        backups.pod = .running(target)
        backups.offlineSource = nil
        backups.offlineProblem = nil
        backups.isListingOffline = false
        return refreshEffects()
    }

    private func refreshEffects() -> [Effect] {
        backups.target.map { [.backups(.refresh($0))] } ?? []
    }

    private mutating func triggered(_ outcome: BackupTriggerOutcome) -> [Effect] {
        backups.isTriggering = false
        switch outcome {
        case .started(let id):
            messages.append("backup \(id) started", level: .success)
            backups.active = BackupRunRecord(id: id, startedAt: BackupFormat.startedAt(runID: id), phase: "starting", result: .running)
            return backups.target.map { [.backups(.follow($0, runID: id))] } ?? []
        case .busy(let runningID, let message):
            messages.append(message, level: .warning)
            if backups.active == nil, let runningID, let target = backups.target {
                backups.active = BackupRunRecord(id: runningID, startedAt: BackupFormat.startedAt(runID: runningID), phase: "running", result: .running)
                return [.backups(.follow(target, runID: runningID))]
            }
            return []
        case .failed(let code, let message):
            messages.append("backup could not start (exit \(code)): \(message)", level: .failure)
            return []
        }
    }

    private mutating func runUpdated(_ record: BackupRunRecord) -> [Effect] {
        guard record.kind == .backup else { return [] }
        if record.result == .running {
            backups.active = record
            return []
        }
        backups.active = nil
        if let index = backups.runs.firstIndex(where: { $0.id == record.id }) {
            backups.runs[index] = record
        } else {
            backups.runs.insert(record, at: 0)
        }
        if record.result == .succeeded {
            messages.append("backup \(record.id) \(record.verified ? "verified" : "done")", level: .success)
        } else {
            messages.append("backup \(record.id) failed: \(record.error ?? record.errorKind ?? "exit \(record.exitCode ?? -1)")", level: .failure)
        }
        return refreshEffects()
    }
}
