import OpsCore

/// The words for what a confirmation holds as data, from the state as it is at each frame.
enum ConfirmationText {
    static func lines(for detail: ConfirmationDetail, in state: AppState) -> [String] {
        switch detail {
        case .restorePlan(let plan):
            var lines = ["Backup \(plan.id)" + (plan.host.map { " from \($0)" } ?? "") + " will overwrite:"]
            lines += plan.overwriteLines.map { "  " + $0 }
            if !plan.sidecars.isEmpty {
                lines.append("The sidecars are stopped, loaded and started again.")
            }
            return lines
        case .applyPlan(let plan):
            return ["Recreates, keeping the pod and every volume:"] + plan.changes.map { "  " + $0.line }
                + ["A container that does not become healthy is put back as it was."]
        case .prune(let inventory):
            let prunable = inventory.prunable
            var lines = ["Removes \(prunable.count) image\(prunable.count == 1 ? "" : "s") of \(inventory.reference), freeing up to \(BackupFormat.bytes(inventory.prunableBytes)):"]
            lines += prunable.prefix(8).map { image in
                "  \(PodmanImageReference.short(image.image.id))  \(image.role.rawValue)  \(BackupFormat.bytes(image.image.size))"
            }
            if prunable.count > 8 { lines.append("  and \(prunable.count - 8) more") }
            lines.append("Kept: the configured image, :previous, images any container uses, and every volume.")
            return lines
        case .restartChoice:
            return PodmanRole.allCases.map { role in
                let name = role.containerName(pod: state.settings.pod)
                let status = state.pod.container(role)?.state.text ?? "missing"
                return "\(role.pickKey)  \(role.title) (\(name), \(status))"
            }
        case .podDown:
            guard let pod = state.pod.pod else { return ["Pod \(state.settings.pod) is not there any more: nothing to take down."] }
            return [
                "Removes the pod and its containers: \(pod.workloadContainers.map(\.name).joined(separator: ", ")).",
                "Keeps the volumes: \(PodmanVolumes.all(pod: pod.name).joined(separator: ", ")).",
            ]
        case .rebuild:
            return rebuildSummary(state)
        case .rollback:
            let previous = PodmanImageReference.previousTag(for: state.settings.image)
            let container = PodmanRole.opencode.containerName(pod: state.settings.pod)
            var lines = [
                "Tags \(previous) as \(state.settings.image) again and replaces container \(container) with it; volumes are kept.",
            ]
            if let offer = state.pod.rollbackOffer { lines.insert("\(offer.container) is not healthy: \(offer.reason)", at: 0) }
            return lines
        case .runningJobs:
            let running = state.jobs.running
            var lines = running.map { "\($0.kind.rawValue) job \($0.id) is running (started by \($0.startedBy))." }
            lines.append("It keeps running after you quit, and its result is recorded.")
            let attach = running.first.map { ", or run `opencode-ops jobs attach \($0.id)`" } ?? ""
            lines += ["See it again: open the console and press J\(attach).", "Quit now?"]
            return lines
        case .sidecarChoice:
            return ["f  FalkorDB (\(PodmanRole.falkordb.containerName(pod: state.settings.pod)))",
                    "v  Valkey (\(PodmanRole.valkey.containerName(pod: state.settings.pod)))"]
        case .build:
            return ["Builds \(state.containerfilePath ?? state.settings.containerfile) as \(state.settings.image).",
                    "The running container is not replaced (b rebuilds and replaces)."]
        case .cancelBuild:
            return ["Stops podman build. Nothing is tagged; the running container is not touched."]
        case .backupNow:
            let remote = state.backups.remote ?? "the remote configured in \(state.backups.target?.container ?? PodmanRole.opencode.containerName(pod: state.settings.pod))"
            return ["Snapshot FalkorDB, Valkey and OpenCode's data and config,", "upload to \(remote),", "verify, then apply retention."]
        case .verify:
            return [
                "Download it from the remote, check every file against its",
                "manifest's sha256, and test-restore the databases into scratch space",
                "(SQLite integrity_check, each RDB loaded). Nothing live changes;",
                "a backup started meanwhile is refused until it ends.",
            ]
        case .restoreAgain(let backupID):
            return [
                "Second confirmation: the data named before is replaced",
                "by backup \(backupID). What it replaces is kept for the scripts' restore --undo.",
                "Type \(BackupFormat.shortID(backupID)) (the backup's short id) or the word restore, then Enter.",
            ]
        case .restart(let role):
            let name = role.containerName(pod: state.settings.pod)
            switch role {
            case .opencode:
                return ["Stops \(name) and starts it again: same container, same volumes.",
                        "OpenCode's sessions drop until it is back; a running backup would be killed."]
            case .falkordb, .valkey:
                return ["Stops \(name) and starts it again: same container, same volumes.",
                        "Clients lose their connection until it is back."]
            }
        case .wait(let operation):
            let verb = operation.verb
            let harm = operation == .backupNow
                ? "A backup started now would be killed when the OpenCode container is replaced."
                : "To \(verb) now would kill it: the OpenCode container is stopped or its data replaced."
            let blocker = state.blocker(for: operation).map { "\($0) is running." } ?? "What was in the way has ended."
            return [blocker, harm, "y waits for it to end, then goes on (while this console stays open); n cancels."]
        }
    }

    /// The `b` confirmation: what will be built and what it replaces.
    static func rebuildSummary(_ state: AppState) -> [String] {
        let containerfile = state.containerfilePath ?? state.settings.containerfile
        var lines = ["Builds \(containerfile) as \(state.settings.image)."]
        if let running = state.pod.container(.opencode), state.pod.isUp {
            lines.append("Then replaces container \(running.name) (image \(running.image), "
                + "\(PodmanImageReference.short(running.imageID))); volumes are kept.")
            lines.append("The old image stays as \(PodmanImageReference.previousTag(for: state.settings.image)) for rollback.")
        } else {
            lines.append("The pod is not up, so nothing is replaced.")
        }
        return lines
    }
}
