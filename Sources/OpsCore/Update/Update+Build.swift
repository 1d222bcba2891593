import Foundation

extension AppState {
    /// Applies a build action.
    mutating func reduce(_ action: BuildAction) -> [Effect] {
        switch action {
        case .build(let update):
            switch update {
            case .line(let line):
                recordBuildLine(line)
            case .finished(let outcome):
                build.run = nil
                finish(BuildResult(build: outcome, image: settings.image))
                return [.build(.loadHistory)]
            }
        case .rebuild(let update):
            return reduceRebuild(update)
        case .tick(let elapsed):
            if var run = build.run {
                run.elapsed = max(run.elapsed, elapsed)
                build.run = run
            }
        case .logLines(let generation, let lines):
            guard let stream = build.stream, stream.generation == generation else { return [] }
            appendLog(lines.map { LogEntry(podmanLine: $0.text, isError: $0.isError) }, to: stream.source)
        case .logSkipped(let generation, let count):
            guard let stream = build.stream, stream.generation == generation, count > 0 else { return [] }
            appendLog([LogEntry(text: "--- \(count) lines skipped: they came faster than the view keeps ---", isNote: true)], to: stream.source)
        case .logEnded(let generation):
            guard let stream = build.stream, stream.generation == generation else { return [] }
            build.stream = nil
            appendLog([LogEntry(text: "--- log stream ended ---", isNote: true)], to: stream.source)
        case .history(let records):
            build.history = records
        case .attached(let job, let elapsed):
            attachBuildJob(job, elapsed: elapsed)
        case .beforeThisConsole(let ended):
            let effects = reduce(ended)
            build.lastResult?.isEarlier = true
            return effects
        }
        return []
    }

    private mutating func reduceRebuild(_ update: PodmanRebuildUpdate) -> [Effect] {
        switch update {
        case .build(.line(let line)):
            recordBuildLine(line)
        case .build(.finished(let outcome)):
            if case .succeeded(let imageID, _, let duration) = outcome {
                build.run?.isPastBuild = true
                build.run?.isCancelling = false
                build.run?.phase = "built \(PodmanImageReference.short(imageID)) in \(BuildClock.duration(duration))"
                appendLog([LogEntry(text: build.run?.phase ?? "", stamp: BuildClock.stamp(duration), isNote: true)], to: .build)
            }
        case .phase(let phase):
            let text = phase.text
            build.run?.phase = text
            appendLog([LogEntry(text: text, stamp: BuildClock.stamp(build.run?.elapsed ?? 0), isNote: true)], to: .build)
        case .finished(let outcome):
            build.run = nil
            if case .notHealthy(let container, _, let reason, let previousTag?) = outcome {
                pod.rollbackOffer = RollbackOffer(container: container, reason: reason, previousTag: previousTag)
            } else {
                pod.rollbackOffer = nil
            }
            finish(BuildResult(rebuild: outcome, image: settings.image))
            return [.build(.loadHistory)]
        case .failed(let failure):
            build.run = nil
            finish(BuildResult(status: .fail, text: "rebuild failed: \(failure.message)"))
            return [.build(.loadHistory)]
        }
        return []
    }

    /// Esc on Build & Logs with no filter: the last result's banner goes (it stays in the
    /// messages and the build history).
    mutating func dismissBuildResult() {
        guard focus == .build, build.lastResult != nil, build.run == nil else { return }
        build.lastResult = nil
        messages.append("build result dismissed (Enter on the build source shows the history)")
    }

    /// Runs a build command chosen by key or palette.
    mutating func runBuild(_ command: Command) -> [Effect] {
        switch command {
        case .build:
            if let busy = busyReason { messages.append(busy, level: .warning); return [] }
            overlay = .confirm(Confirmation(
                title: "Build the image?",
                lines: [
                    "Builds \(containerfilePath ?? settings.containerfile) as \(settings.image).",
                    "The running container is not replaced (b rebuilds and replaces).",
                ],
                operation: .build
            ))
        case .cancelBuild:
            guard let run = build.run else {
                messages.append("no build is running", level: .warning)
                return []
            }
            if run.isPastBuild {
                messages.append("the build has finished; the replacement runs to its end", level: .warning)
                return []
            }
            overlay = .confirm(Confirmation(
                title: "Cancel the \(run.kind.rawValue)?",
                lines: ["Stops podman build. Nothing is tagged; the running container is not touched."],
                operation: .cancelBuild
            ))
        case .followLogs:
            let count = build.rowCount
            if isFollowingNow {
                build.isFollowing = false
                messages.append("logs paused (f follows again)")
            } else {
                build.isFollowing = true
                positions[.build, default: ListPosition()].selection = max(0, count - 1)
                messages.append("following logs")
            }
        case .timestamps:
            build.showsTimestamps.toggle()
            messages.append(build.showsTimestamps ? "log timestamps shown" : "log timestamps hidden")
        case .logSource:
            build.source = build.source.next
            build.isFollowing = true
            messages.append("log source: \(build.source.rawValue)")
            var effects: [Effect] = []
            if build.source.role != nil {
                // The stream's --tail brings the recent lines again.
                build.logs[build.source] = nil
                if build.stream != nil {
                    build.stream = nil
                    effects.append(.build(.stopLogs))
                }
            }
            positions[.build, default: ListPosition()].selection = max(0, build.rowCount - 1)
            return effects + syncLogStream()
        case .open:
            openBuildPage()
        default:
            break
        }
        return []
    }

    /// Carries out a build operation the operator confirmed.
    mutating func confirmBuild(_ operation: ConfirmedOperation) -> [Effect] {
        switch operation {
        case .build:
            return startBuild(.build)
        case .cancelBuild:
            guard build.run != nil, build.run?.isPastBuild == false else { return [] }
            build.run?.isCancelling = true
            return [.build(.cancel)]
        default:
            return []
        }
    }

    /// Starts a build or rebuild and shows its output.
    mutating func startBuild(_ kind: BuildRun.Kind) -> [Effect] {
        if let busy = busyReason { messages.append(busy, level: .warning); return [] }
        build.run = BuildRun(kind: kind)
        build.lastResult = nil
        pod.rollbackOffer = nil
        build.logs[.build] = LogBuffer(limit: settings.logLines)
        build.source = .build
        build.isFollowing = true
        positions[.build, default: ListPosition()].selection = 0
        var effects: [Effect] = []
        if build.stream != nil {
            build.stream = nil
            effects.append(.build(.stopLogs))
        }
        return effects + [.jobs(.start(JobRequest(kind: kind == .build ? .build : .rebuild, target: .image(tag: settings.image))))]
    }

    /// Shows a build job this console did not start as if it had: the panel's run, its output
    /// from the start, and its result when it ends.
    private mutating func attachBuildJob(_ job: JobStatus, elapsed: TimeInterval) {
        messages.append("following the running \(job.kind.rawValue) job \(job.id), started by \(job.startedBy)")
        if job.kind == .rollback {
            pod.operation = .rollback
            build.lastResult = nil
            return
        }
        var run = BuildRun(kind: job.kind == .build ? .build : .rebuild, phase: "following job \(job.id)")
        run.elapsed = elapsed
        build.run = run
        build.lastResult = nil
        build.logs[.build] = LogBuffer(limit: settings.logLines)
    }

    /// True when the view sticks to the newest line.
    public var isFollowingNow: Bool {
        build.isFollowing && position(of: .build).selection >= build.rowCount - 1
    }

    /// Appends lines to a source's buffer, keeping the view where the operator left it: at the
    /// newest line while following, else on the same line as old ones drop off the front.
    mutating func appendLog(_ entries: [LogEntry], to source: LogSource) {
        guard !entries.isEmpty else { return }
        var buffer = build.logs[source] ?? LogBuffer(limit: settings.logLines)
        buffer.limit = max(1, settings.logLines)
        let atBottom = source == build.source && isFollowingNow
        let dropped = buffer.append(entries)
        build.logs[source] = buffer
        guard source == build.source else { return }
        var position = position(of: .build)
        position.selection = atBottom ? buffer.count - 1 : max(0, position.selection - dropped)
        position.clamp(count: buffer.count)
        positions[.build] = position
    }

    private mutating func recordBuildLine(_ line: PodmanBuildLine) {
        if var run = build.run {
            run.elapsed = max(run.elapsed, line.elapsed)
            if let progress = line.progress {
                run.progress = progress
                if !run.isPastBuild { run.phase = "building" }
            }
            build.run = run
        }
        appendLog([LogEntry(text: line.text, stamp: BuildClock.stamp(line.elapsed), isError: line.isError)], to: .build)
    }

    private mutating func finish(_ result: BuildResult) {
        build.lastResult = result
        messages.append(result.text, level: result.status.messageLevel)
        appendLog([LogEntry(text: result.text, isError: result.status == .fail, isNote: true)], to: .build)
    }

    /// Enter: the build history on the build source, else the selected source's lines.
    private mutating func openBuildPage() {
        if build.source == .build {
            var lines = build.history.reversed().map(BuildClock.historyLine)
            if lines.isEmpty { lines = ["no builds recorded yet"] }
            lines.insert("started (UTC)         duration   result      image", at: 0)
            overlay = .page(TextPage(title: "Build history", lines: lines))
        } else {
            let filter = position(of: .build).filter
            let lines = build.entries.filter { $0.matches(filter) }.map { entry in
                entry.stamp.isEmpty ? entry.text : "\(entry.stamp) \(entry.text)"
            }
            overlay = .page(TextPage(title: "\(build.source.rawValue) log", lines: lines.isEmpty ? ["no lines"] : lines,
                                     scroll: max(0, lines.count - 1)))
        }
    }
}

extension PodmanRebuildPhase {
    var text: String {
        switch self {
        case .building: return "building"
        case .keepingPrevious(let tag): return "keeping the running image as \(tag)"
        case .waitingForBackup(let run): return "waiting for \(run) to end before replacing"
        case .replacing(let container): return "replacing \(container)"
        case .waitingForHealth(let container, let deadline):
            return deadline > 0 ? "waiting up to \(Int(deadline.rounded())) s for \(container) to be healthy"
                : "waiting for \(container) to run"
        }
    }
}

extension BuildResult {
    init(build outcome: PodmanBuildOutcome, image: String) {
        switch outcome {
        case .succeeded(let imageID, let tag, let duration):
            self.init(status: .ok, text: "built \(tag.isEmpty ? image : tag) (\(PodmanImageReference.short(imageID))) in \(BuildClock.duration(duration))")
        case .failed(_, let message, let duration):
            self.init(status: .fail, text: "build failed after \(BuildClock.duration(duration)): \(message)")
        case .cancelled(let duration):
            self.init(status: .warn, text: "build cancelled after \(BuildClock.duration(duration)); nothing tagged")
        }
    }

    init(rebuild outcome: PodmanRebuildOutcome, image: String) {
        switch outcome {
        case .replaced(let container, let imageID, let healthy):
            // The outcome word first: the panel is narrow and cuts the end.
            let health = healthy ? "healthy" : "running (no health check)"
            self.init(status: .ok, text: "\(health): \(container) replaced, now runs \(PodmanImageReference.short(imageID))")
        case .builtOnly(let imageID):
            self.init(status: .ok, text: "built \(image) (\(PodmanImageReference.short(imageID))); the pod is not up, nothing replaced")
        case .buildFailed(let build):
            var result = BuildResult(build: build, image: image)
            result.text += "; the running container is untouched"
            self = result
        case .notHealthy(let container, _, let reason, let previousTag):
            let offer = previousTag.map { "; rollback to \($0): palette (:) rollback" } ?? "; no previous image to roll back to"
            self.init(status: .fail, text: "\(container) not healthy: \(reason)\(offer)")
        }
    }
}

/// Durations and stamps as the Build & Logs panel shows them.
public enum BuildClock {
    /// `0:42`, `12:05`, `1:02:03`.
    public static func stamp(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }

    /// `42 s`, `3 min 5 s`, `2 h 10 min`.
    public static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }

    /// Uptime in at most two units: `<1m`, `5m`, `3h 2m`, `2d 4h`.
    public static func uptime(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds) / 60
        if minutes < 1 { return "<1m" }
        if minutes < 60 { return "\(minutes)m" }
        if minutes < 1440 { return "\(minutes / 60)h \(minutes % 60)m" }
        return "\(minutes / 1440)d \(minutes % 1440 / 60)h"
    }

    /// One build history row: start time, duration, result, image id or message.
    public static func historyLine(_ record: PodmanBuildRecord) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: record.startedAt)
        let two = { (value: Int?) -> String in let value = value ?? 0; return value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
        let detail = record.imageID.map(PodmanImageReference.short) ?? record.message ?? ""
        let duration = duration(record.duration)
        let result = record.result.rawValue
        return time + "   " + duration.padding(toLength: 11, withPad: " ", startingAt: 0)
            + result.padding(toLength: 12, withPad: " ", startingAt: 0) + detail
    }
}
