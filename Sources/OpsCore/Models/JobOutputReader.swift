import Foundation

/// Reads a detached build, rebuild or rollback job's output (the `build` and `rebuild`
/// subcommands' lines) back into the updates the podman adapters report in-process, so the
/// console shows a job exactly as it showed a build it ran itself. The job's end comes from its
/// status: exit code and the last lines give the outcome (`rebuild` exits 2 for "not healthy").
public struct JobOutputReader: Sendable {
    public let kind: JobKind
    private var progress: PodmanBuildProgress?
    private var pastBuild = false
    /// The lines that name an outcome, newest last (a bounded tail).
    private var tail: [String] = []

    public init(kind: JobKind) {
        self.kind = kind
    }

    /// The build-line update for a plain build job's line.
    public mutating func buildUpdate(_ line: String, elapsed: TimeInterval) -> PodmanBuildUpdate {
        remember(line)
        return .line(buildLine(line, elapsed: elapsed))
    }

    /// The updates for a rebuild job's line: a build line, or a phase once the build is done
    /// (the build's success first, so the panel knows cancelling is over).
    public mutating func rebuildUpdates(_ line: String, elapsed: TimeInterval) -> [PodmanRebuildUpdate] {
        remember(line)
        if !pastBuild, let (imageID, duration) = Self.builtForReplacement(line) {
            pastBuild = true
            return [.build(.finished(.succeeded(imageID: imageID, tag: "", duration: duration ?? elapsed)))]
        }
        if let phase = Self.phase(line) {
            var updates: [PodmanRebuildUpdate] = []
            if !pastBuild {
                pastBuild = true
                updates.append(.build(.finished(.succeeded(imageID: "", tag: "", duration: elapsed))))
            }
            return updates + [.phase(phase)]
        }
        return [.build(.line(buildLine(line, elapsed: elapsed)))]
    }

    /// How a build job ended.
    public func buildOutcome(_ status: JobStatus, elapsed: TimeInterval) -> PodmanBuildOutcome {
        let code = status.exitCode ?? -1
        if status.state == .succeeded {
            for line in tail.reversed() {
                // `built TAG (IMAGE-ID) in 12 s`
                if line.hasPrefix("built "), let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")"), open < close {
                    let tag = line[line.index(line.startIndex, offsetBy: 6)..<open].trimmingCharacters(in: .whitespaces)
                    let id = String(line[line.index(after: open)..<close])
                    return .succeeded(imageID: id, tag: tag, duration: elapsed)
                }
            }
            return .succeeded(imageID: "", tag: "", duration: elapsed)
        }
        if code == 130 { return .cancelled(duration: elapsed) }
        return .failed(exitCode: code, message: failureMessage(status, prefix: "error: build failed after "), duration: elapsed)
    }

    /// How a rebuild (or a rollback) job ended, as `PodmanRebuilder` reports it.
    public func rebuildOutcome(_ status: JobStatus, elapsed: TimeInterval) -> Result<PodmanRebuildOutcome, PodmanFailure> {
        let code = status.exitCode ?? -1
        if status.state == .succeeded {
            for line in tail.reversed() {
                if let replaced = Self.replaced(line) { return .success(replaced) }
                // `built IMAGE-ID; the pod is not up, so nothing was replaced`
                if line.hasPrefix("built "), line.contains("; the pod is not up") {
                    let id = line.dropFirst(6).prefix { $0 != ";" }
                    return .success(.builtOnly(imageID: String(id)))
                }
            }
            return .success(.builtOnly(imageID: ""))
        }
        if status.state == .failed && code == 2 {
            // `error: REASON`, then `CONTAINER is not healthy[; roll back to PREVIOUS with ...]`.
            let reason = tail.last { $0.hasPrefix("error: ") }.map { String($0.dropFirst(7)) } ?? "not healthy"
            for line in tail.reversed() {
                guard let range = line.range(of: " is not healthy") else { continue }
                let container = String(line[..<range.lowerBound])
                var previous: String?
                if let roll = line.range(of: "; roll back to "), let with = line.range(of: " with ", range: roll.upperBound..<line.endIndex) {
                    previous = String(line[roll.upperBound..<with.lowerBound])
                }
                return .success(.notHealthy(container: container, imageID: "", reason: reason, previousTag: previous))
            }
            return .success(.notHealthy(container: "opencode", imageID: "", reason: reason, previousTag: nil))
        }
        if code == 130 { return .success(.buildFailed(.cancelled(duration: elapsed))) }
        if status.state == .failed, let build = tail.last(where: { $0.hasPrefix("error: build failed: ") }) {
            var message = String(build.dropFirst("error: build failed: ".count))
            if let cut = message.range(of: "; the running container was not touched") { message = String(message[..<cut.lowerBound]) }
            return .success(.buildFailed(.failed(exitCode: code, message: message, duration: elapsed)))
        }
        return .failure(.commandFailed(command: status.commandLine, exitCode: code, detail: failureMessage(status, prefix: "error: ")))
    }

    /// The job's own words for its failure: its last error line, else what its status says.
    private func failureMessage(_ status: JobStatus, prefix: String) -> String {
        if status.state == .abandoned {
            return "the job's process died without recording an end (killed?); see `opencode-ops jobs log \(status.id)`"
        }
        if let line = tail.last(where: { $0.hasPrefix("error: ") }) {
            var message = String(line.dropFirst(7))
            // `build failed after 3 s: MESSAGE`
            if line.hasPrefix(prefix), prefix != "error: ", let colon = message.range(of: ": ") {
                message = String(message[colon.upperBound...])
            }
            return message
        }
        return "exit \(status.exitCode ?? -1); see `opencode-ops jobs log \(status.id)`"
    }

    private mutating func remember(_ line: String) {
        tail.append(line)
        if tail.count > 40 { tail.removeFirst(tail.count - 40) }
    }

    /// STEP n/m progress comes from the same parser the in-process build uses.
    private mutating func buildLine(_ line: String, elapsed: TimeInterval) -> PodmanBuildLine {
        if let step = PodmanBuildProgress(line: line) { progress = step }
        let isError = line.hasPrefix("error:") || line.hasPrefix("Error:")
        return PodmanBuildLine(text: line, isError: isError, progress: progress, elapsed: elapsed)
    }

    /// `built IMAGE-ID in 12 s` (rebuild, before replacing).
    static func builtForReplacement(_ line: String) -> (String, TimeInterval?)? {
        guard line.hasPrefix("built "), !line.contains("("), !line.contains(";"),
              let range = line.range(of: " in ") else { return nil }
        let id = String(line[line.index(line.startIndex, offsetBy: 6)..<range.lowerBound])
        guard !id.isEmpty, !id.contains(" ") else { return nil }
        return (id, nil)
    }

    /// The phase lines `rebuild` prints.
    static func phase(_ line: String) -> PodmanRebuildPhase? {
        if line.hasPrefix("keeping the running image as ") {
            return .keepingPrevious(previousTag: String(line.dropFirst("keeping the running image as ".count)))
        }
        if line.hasPrefix("replacing "), !line.contains(" ", after: "replacing ") {
            return .replacing(container: String(line.dropFirst("replacing ".count)))
        }
        // `waiting up to 1 min 30 s for CONTAINER to become healthy`
        if line.hasPrefix("waiting up to "), let forRange = line.range(of: " for "),
           let end = line.range(of: " to become healthy", options: .backwards) {
            let container = String(line[forRange.upperBound..<end.lowerBound])
            let deadline = seconds(String(line[line.index(line.startIndex, offsetBy: 14)..<forRange.lowerBound]))
            return .waitingForHealth(container: container, deadline: deadline)
        }
        return nil
    }

    /// `CONTAINER now runs IMAGE-ID and is healthy` / `... (no health check)`.
    static func replaced(_ line: String) -> PodmanRebuildOutcome? {
        guard let range = line.range(of: " now runs ") else { return nil }
        let container = String(line[..<range.lowerBound])
        let rest = line[range.upperBound...]
        let id = String(rest.prefix { $0 != " " })
        guard !container.isEmpty, !container.contains(" "), !id.isEmpty else { return nil }
        return .replaced(container: container, imageID: id, healthy: rest.hasSuffix("and is healthy"))
    }

    /// `1 h 2 min`, `1 min 30 s`, `45 s` in seconds.
    static func seconds(_ text: String) -> TimeInterval {
        let words = text.split(separator: " ")
        var total = 0.0
        var index = 0
        while index + 1 < words.count {
            let value = Double(words[index]) ?? 0
            switch words[index + 1] {
            case "h": total += value * 3600
            case "min": total += value * 60
            default: total += value
            }
            index += 2
        }
        return total
    }
}

private extension String {
    /// True when a space follows `prefix` (the line is a sentence, not `replacing NAME`).
    func contains(_ character: Character, after prefix: String) -> Bool {
        dropFirst(prefix.count).contains(character)
    }
}
