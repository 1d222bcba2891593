extension AppState {
    /// The backup or restore running in the OpenCode container, as this console knows it.
    var runningBackupRun: String? {
        if let active = backups.active {
            return "backup \(active.id) (\(active.trigger), phase \(active.phase), started \(BackupFormat.shortTime(active.startedAt)))"
        }
        if backups.isTriggering { return "the backup being started" }
        if let restoring = backups.restoring { return "the restore of \(restoring)" }
        return nil
    }

    /// The rebuild, rollback or apply replacing the OpenCode container now.
    var runningReplacement: String? {
        if let run = build.run, run.kind == .rebuild { return "the rebuild" }
        if pod.operation == .apply { return "the apply" }
        if pod.operation == .rollback { return "the rollback" }
        if let job = jobs.running.first(where: { $0.kind.replacesContainers }) { return "the \(job.kind.rawValue) job \(job.id)" }
        return nil
    }

    /// What stands in the way of `operation`: a backup or restore for what replaces, removes or
    /// restores into the OpenCode container; a replacement for a new backup.
    public func blocker(for operation: ConfirmedOperation) -> String? {
        switch operation {
        case .podDown, .rebuild, .rollback, .apply, .restartContainer:
            return runningBackupRun
        case .restore(_, let step) where step >= 2:
            return runningBackupRun
        case .backupNow:
            return runningReplacement
        default:
            return nil
        }
    }

    /// The guard's dialog for `operation`, or nil when nothing is in its way.
    func guardDialog(for operation: ConfirmedOperation) -> Confirmation? {
        guard blocker(for: operation) != nil else { return nil }
        let verb = operation.verb
        return Confirmation(
            title: "Wait, then \(verb)?", detail: .wait(operation),
            operation: .waitThen(operation), yes: "wait, then \(verb)", no: "cancel"
        )
    }

    /// The operator chose to wait: remember the operation until its blocker has ended.
    mutating func waitThen(_ operation: ConfirmedOperation) -> [Effect] {
        pendingAfterWait = operation
        messages.append("waiting for \(blocker(for: operation) ?? "the running job") to end, then \(operation.verb)")
        return resumeAfterWait()
    }

    /// Runs the waiting operation once nothing is in its way any more.
    mutating func resumeAfterWait() -> [Effect] {
        guard let pending = pendingAfterWait, blocker(for: pending) == nil else { return [] }
        pendingAfterWait = nil
        messages.append("the wait is over: \(pending.verb) now")
        return confirmed(pending)
    }
}

extension ConfirmedOperation {
    /// What the operation does, as the guard's dialog words it.
    public var verb: String {
        switch self {
        case .podDown: return "take the pod down"
        case .rebuild: return "rebuild"
        case .rollback: return "roll back"
        case .apply: return "apply"
        case .restore(let id, _): return "restore \(id)"
        case .backupNow: return "back up"
        case .restartContainer(let role): return "restart \(role.title)"
        case .waitThen(let operation): return operation.verb
        default: return "go on"
        }
    }
}
