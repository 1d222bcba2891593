import Foundation

extension AppState {
    /// Applies a pod action.
    mutating func reduce(_ action: PodAction) -> [Effect] {
        switch action {
        case .watch(let update):
            return reduceWatch(update)
        case .tick(let date):
            pod.now = date
        case .upFinished(let result):
            pod.operation = nil
            switch result {
            case .success(.started(let name, let containers, let warnings)):
                messages += warnings
                messages.append("pod \(name) up: started \(containers.joined(separator: ", "))", level: .success)
            case .success(.alreadyUp(let name, let warnings)):
                messages += warnings
                messages.append("pod \(name) is already up")
            case .failure(let failure):
                messages.append("up failed: \(failure.message)", level: .failure)
            }
        case .downFinished(let result):
            pod.operation = nil
            switch result {
            case .success(.removed(let name, _, let volumes)):
                pod.rollbackOffer = nil
                let kept = volumes.isEmpty ? "" : "; volumes kept: \(volumes.joined(separator: ", "))"
                messages.append("pod \(name) taken down\(kept)", level: .success)
            case .success(.notPresent(let name)):
                messages.append("pod \(name) is not there: nothing to take down")
            case .failure(let failure):
                messages.append("down failed: \(failure.message)", level: .failure)
            }
        case .rollbackFinished(let result):
            pod.operation = nil
            switch result {
            case .success(let outcome):
                pod.rollbackOffer = nil
                let result = BuildResult(rollback: outcome)
                build.lastResult = result
                messages.append(result.text, level: result.status.messageLevel)
            case .failure(let failure):
                build.lastResult = BuildResult(status: .fail, text: "rollback failed: \(failure.message)")
                messages.append("rollback failed: \(failure.message)", level: .failure)
            }
        case .applyPlanned(let result):
            applyPlanned(result)
        case .restartFinished(let container, let problem):
            if let problem {
                messages.append("restart of \(container) failed: \(problem)", level: .failure)
            } else {
                messages.append("\(container) restarted", level: .success)
            }
        }
        return []
    }

    private mutating func reduceWatch(_ update: PodmanWatchUpdate) -> [Effect] {
        switch update {
        case .connected:
            pod.events = .connected
        case .snapshot(let snapshot):
            pod.snapshot = snapshot
            pod.failure = nil
            if pod.now.map({ $0 < snapshot.takenAt }) ?? true { pod.now = snapshot.takenAt }
            // One events stream serves every panel: the backups follow the same snapshots.
            let (target, reason) = BackupTargetFinder.target(in: snapshot)
            return syncLogStream() + reduce(BackupsAction.podChanged(target, reason: reason))
        case .event:
            // A snapshot follows every burst of events; the event itself changes nothing shown.
            break
        case .disconnected(let reason, let attempt):
            pod.events = .reconnecting(attempt: attempt, reason: reason)
        case .failed(let failure):
            // The watch retries; say it once, not at every attempt.
            if pod.failure != failure { messages.append(failure.message, level: .failure) }
            pod.failure = failure
            return reduce(BackupsAction.podChanged(nil, reason: failure.message))
        }
        return []
    }

    /// Runs a pod command chosen by key or palette.
    mutating func runPod(_ command: Command) -> [Effect] {
        switch command {
        case .podUp:
            return bringUp()
        case .podDown:
            if let busy = busyReason { messages.append(busy, level: .warning); return [] }
            guard let current = pod.pod else {
                messages.append("pod \(settings.pod) is not there: nothing to take down", level: .warning)
                return []
            }
            guard current.isManaged else {
                messages.append(PodmanFailure.foreignPod(name: current.name, containers: current.workloadContainers.map(\.name)).message, level: .warning)
                return []
            }
            let volumes = PodmanVolumes.all(pod: current.name)
            overlay = .confirm(Confirmation(
                title: "Take pod \(current.name) down?",
                lines: [
                    "Removes the pod and its containers: \(current.workloadContainers.map(\.name).joined(separator: ", ")).",
                    "Keeps the volumes: \(volumes.joined(separator: ", ")).",
                ],
                operation: .podDown
            ))
        case .rebuild:
            if let busy = busyReason { messages.append(busy, level: .warning); return [] }
            overlay = .confirm(Confirmation(title: "Rebuild and replace OpenCode?", lines: rebuildSummary, operation: .rebuild))
        case .rollback:
            if let busy = busyReason { messages.append(busy, level: .warning); return [] }
            let previous = PodmanImageReference.previousTag(for: settings.image)
            let container = PodmanRole.opencode.containerName(pod: settings.pod)
            var lines = [
                "Tags \(previous) as \(settings.image) again and replaces container \(container) with it; volumes are kept.",
            ]
            if let offer = pod.rollbackOffer { lines.insert("\(offer.container) is not healthy: \(offer.reason)", at: 0) }
            overlay = .confirm(Confirmation(title: "Roll back OpenCode to \(previous)?", lines: lines, operation: .rollback))
        case .apply:
            if let busy = busyReason { messages.append(busy); return [] }
            guard let current = pod.pod, current.isManaged else {
                messages.append("pod \(settings.pod) is not up: nothing to apply to (u brings it up with the current settings)")
                return []
            }
            messages.append("apply: comparing pod \(current.name) with the settings")
            return [.pod(.planApply)]
        default:
            break
        }
        return []
    }

    /// The apply confirmation: what will be recreated and why (names only, never values).
    private mutating func applyPlanned(_ result: Result<PodmanApplyPlan, PodmanFailure>) {
        switch result {
        case .failure(let failure):
            messages.append("apply: \(failure.message)")
        case .success(let plan) where plan.isEmpty:
            messages.append(plan.unchangedMessage)
        case .success(let plan):
            var lines = ["Recreates, keeping the pod and every volume:"]
            lines += plan.changes.map { "  " + $0.line }
            lines.append("A container that does not become healthy is put back as it was.")
            overlay = .confirm(Confirmation(title: "Apply changes to pod \(plan.pod)?", lines: lines, operation: .apply))
        }
    }

    /// Carries out a pod operation the operator confirmed.
    mutating func confirmPod(_ operation: ConfirmedOperation) -> [Effect] {
        switch operation {
        case .podUp:
            return bringUp()
        case .podDown:
            pod.operation = .down
            return [.pod(.down)]
        case .rebuild:
            return startBuild(.rebuild)
        case .rollback:
            pod.operation = .rollback
            build.lastResult = nil
            return [.jobs(.start(JobRequest(kind: .rollback, target: .image(tag: settings.image))))]
        case .apply:
            if let busy = busyReason { messages.append(busy); return [] }
            pod.operation = .apply
            return [.jobs(.start(JobRequest(kind: .apply)))]
        default:
            return []
        }
    }

    /// `u` needs no confirmation: it only creates what is missing and never removes anything.
    private mutating func bringUp() -> [Effect] {
        if let busy = busyReason { messages.append(busy, level: .warning); return [] }
        if let current = pod.pod, current.isManaged, current.state == .running,
           current.workloadContainers.count >= PodmanRole.allCases.count,
           current.workloadContainers.allSatisfy({ $0.state == .running }) {
            messages.append("pod \(current.name) is already up")
            return []
        }
        pod.operation = .up
        return [.pod(.up)]
    }

    /// Why a pod or build operation cannot start now, or nil.
    var busyReason: String? {
        if let operation = pod.operation { return "wait: \(operation.rawValue) pod \(settings.pod)" }
        if let run = build.run { return "wait: a \(run.kind.rawValue) is running (x cancels it)" }
        return nil
    }

    /// The `b` confirmation: what will be built and what it replaces.
    var rebuildSummary: [String] {
        let containerfile = containerfilePath ?? settings.containerfile
        var lines = ["Builds \(containerfile) as \(settings.image)."]
        if let running = pod.container(.opencode), pod.isUp {
            lines.append("Then replaces container \(running.name) (image \(running.image), "
                + "\(PodmanImageReference.short(running.imageID))); volumes are kept.")
            lines.append("The old image stays as \(PodmanImageReference.previousTag(for: settings.image)) for rollback.")
        } else {
            lines.append("The pod is not up, so nothing is replaced.")
        }
        return lines
    }

    /// Keeps one `podman logs` stream on the selected container source: started when its
    /// container runs, restarted for a new container (after a rebuild), stopped otherwise.
    mutating func syncLogStream() -> [Effect] {
        guard let role = build.source.role,
              let container = pod.container(role), container.state == .running
        else {
            guard build.stream != nil else { return [] }
            build.stream = nil
            return [.build(.stopLogs)]
        }
        if let stream = build.stream, stream.source == build.source, stream.containerID == container.id { return [] }
        if build.buffer(build.source).count > 0 {
            appendLog([LogEntry(text: "--- container \(container.name) \(PodmanImageReference.short(container.id)) ---", isNote: true)], to: build.source)
        }
        build.generation += 1
        build.stream = LogStream(source: build.source, containerID: container.id, generation: build.generation)
        return [.build(.streamLogs(container: container.id, tail: settings.logLines, generation: build.generation))]
    }
}

extension BuildResult {
    init(rollback outcome: PodmanRebuildOutcome) {
        switch outcome {
        case .replaced(let container, let imageID, _):
            self.init(status: .ok, text: "rolled back \(container) to \(PodmanImageReference.short(imageID))")
        case .notHealthy(let container, _, let reason, _):
            self.init(status: .fail, text: "rolled back, but \(container) is not healthy: \(reason)")
        case .builtOnly, .buildFailed:
            self.init(status: .warn, text: "rollback: nothing replaced")
        }
    }
}
