import Foundation

/// Reads a detached build, rebuild or rollback job's log back into the updates the podman
/// adapters report in-process, so the console shows a job exactly as it showed a build it ran
/// itself. Text lines become build lines; decisions come from the job's events only, and its
/// end from its status (exit code) with the result event it wrote.
public struct JobEventReader: Sendable {
    public let kind: JobKind
    private var progress: PodmanBuildProgress?
    private var pastBuild = false
    /// The newest result and failure events.
    private var buildResult: PodmanBuildOutcome?
    private var rebuildResult: PodmanRebuildOutcome?
    private var failure: String?

    public init(kind: JobKind) {
        self.kind = kind
    }

    /// The build-line update for a plain build job's line (nil for an event).
    public mutating func buildUpdate(_ line: String, elapsed: TimeInterval) -> PodmanBuildUpdate? {
        switch JobLogLine(line) {
        case .text(let text): return .line(buildLine(text, elapsed: elapsed))
        case .event(let event):
            read(event)
            return nil
        }
    }

    /// The updates for a rebuild job's line: a build line, or a phase once the build is done
    /// (the build's success first, so the panel knows cancelling is over).
    public mutating func rebuildUpdates(_ line: String, elapsed: TimeInterval) -> [PodmanRebuildUpdate] {
        let event: JobEvent
        switch JobLogLine(line) {
        case .text(let text):
            // Once built, the job's sentences repeat its phase and result events, which the panel
            // shows already: printing both would show every step twice.
            return pastBuild ? [] : [.build(.line(buildLine(text, elapsed: elapsed)))]
        case .event(let read): event = read
        }
        read(event)
        if !pastBuild, case .built(let imageID, let tag, let duration) = event {
            pastBuild = true
            return [.build(.finished(.succeeded(imageID: imageID, tag: tag, duration: duration)))]
        }
        guard let phase = Self.phase(event) else { return [] }
        var updates: [PodmanRebuildUpdate] = []
        if !pastBuild {
            pastBuild = true
            updates.append(.build(.finished(.succeeded(imageID: "", tag: "", duration: elapsed))))
        }
        return updates + [.phase(phase)]
    }

    /// How a build job ended.
    public func buildOutcome(_ status: JobStatus, elapsed: TimeInterval) -> PodmanBuildOutcome {
        let code = status.exitCode ?? -1
        if status.state == .succeeded {
            if case .succeeded(let id, let tag, _)? = buildResult { return .succeeded(imageID: id, tag: tag, duration: elapsed) }
            return .succeeded(imageID: "", tag: "", duration: elapsed)
        }
        if code == 130 { return .cancelled(duration: elapsed) }
        if case .failed(_, let message, _)? = buildResult { return .failed(exitCode: code, message: message, duration: elapsed) }
        return .failed(exitCode: code, message: failureMessage(status), duration: elapsed)
    }

    /// How a rebuild (or a rollback) job ended, as `PodmanRebuilder` reports it.
    public func rebuildOutcome(_ status: JobStatus, elapsed: TimeInterval) -> Result<PodmanRebuildOutcome, PodmanFailure> {
        let code = status.exitCode ?? -1
        if status.state == .succeeded {
            return .success(rebuildResult ?? .builtOnly(imageID: ""))
        }
        if status.state == .failed, let result = rebuildResult {
            switch result {
            case .buildFailed(.failed(_, let message, _)):
                return .success(.buildFailed(.failed(exitCode: code, message: message, duration: elapsed)))
            case .buildFailed(.cancelled), .buildFailed(.succeeded):
                return .success(.buildFailed(.cancelled(duration: elapsed)))
            case .notHealthy, .replaced, .builtOnly:
                return .success(result)
            }
        }
        if code == 130 { return .success(.buildFailed(.cancelled(duration: elapsed))) }
        return .failure(.commandFailed(command: status.commandLine, exitCode: code, detail: failureMessage(status)))
    }

    private mutating func read(_ event: JobEvent) {
        switch event {
        case .progress(let step, let total, let instruction):
            progress = PodmanBuildProgress(step: step, total: total, instruction: instruction)
        case .built(let imageID, let tag, let duration):
            buildResult = .succeeded(imageID: imageID, tag: tag, duration: duration)
        case .buildFailed(let code, let message, let duration):
            buildResult = .failed(exitCode: code, message: message, duration: duration)
            rebuildResult = .buildFailed(.failed(exitCode: code, message: message, duration: duration))
        case .buildCancelled(let duration):
            buildResult = .cancelled(duration: duration)
            rebuildResult = .buildFailed(.cancelled(duration: duration))
        case .replaced(let container, let imageID, let healthy):
            rebuildResult = .replaced(container: container, imageID: imageID, healthy: healthy)
        case .builtOnly(let imageID):
            rebuildResult = .builtOnly(imageID: imageID)
        case .notHealthy(let container, let imageID, let reason, let rollbackTo):
            rebuildResult = .notHealthy(container: container, imageID: imageID, reason: reason, previousTag: rollbackTo)
        case .failed(let message):
            failure = message
        case .keepingPrevious, .waitingForBackup, .replacing, .waitingForHealth, .sidecarLoaded, .restoreEnded, .verifyEnded:
            break
        }
    }

    /// The job's own words for its failure, else what its status says.
    private func failureMessage(_ status: JobStatus) -> String {
        if status.state == .abandoned {
            return "the job's process died without recording an end (killed?); see `opencode-ops jobs log \(status.id)`"
        }
        return failure ?? "exit \(status.exitCode ?? -1); see `opencode-ops jobs log \(status.id)`"
    }

    private func buildLine(_ text: String, elapsed: TimeInterval) -> PodmanBuildLine {
        // Podman's and this program's error lines both start so; they are shown in red.
        let isError = text.hasPrefix("error:") || text.hasPrefix("Error:")
        return PodmanBuildLine(text: text, isError: isError, progress: progress, elapsed: elapsed)
    }

    static func phase(_ event: JobEvent) -> PodmanRebuildPhase? {
        switch event {
        case .keepingPrevious(let tag): return .keepingPrevious(previousTag: tag)
        case .waitingForBackup(let run): return .waitingForBackup(run: run)
        case .replacing(let container): return .replacing(container: container)
        case .waitingForHealth(let container, let deadline): return .waitingForHealth(container: container, deadline: deadline)
        default: return nil
        }
    }
}

extension JobEvent {
    /// The event for a rebuild phase (nil for `building`, which has no line of its own).
    public init?(_ phase: PodmanRebuildPhase) {
        switch phase {
        case .building: return nil
        case .keepingPrevious(let tag): self = .keepingPrevious(tag: tag)
        case .waitingForBackup(let run): self = .waitingForBackup(run: run)
        case .replacing(let container): self = .replacing(container: container)
        case .waitingForHealth(let container, let deadline): self = .waitingForHealth(container: container, deadline: deadline)
        }
    }

    /// The event for a build's outcome.
    public init(_ outcome: PodmanBuildOutcome) {
        switch outcome {
        case .succeeded(let imageID, let tag, let duration): self = .built(imageID: imageID, tag: tag, duration: duration)
        case .failed(let code, let message, let duration): self = .buildFailed(exitCode: code, message: message, duration: duration)
        case .cancelled(let duration): self = .buildCancelled(duration: duration)
        }
    }

    /// The event for a rebuild's or rollback's outcome.
    public init(_ outcome: PodmanRebuildOutcome) {
        switch outcome {
        case .replaced(let container, let imageID, let healthy): self = .replaced(container: container, imageID: imageID, healthy: healthy)
        case .builtOnly(let imageID): self = .builtOnly(imageID: imageID)
        case .buildFailed(let build): self = JobEvent(build)
        case .notHealthy(let container, let imageID, let reason, let previous):
            self = .notHealthy(container: container, imageID: imageID, reason: reason, rollbackTo: previous)
        }
    }
}
