import Foundation
import OpsCore

/// `podman build --format docker` of the build context's Containerfile, streamed. The image is
/// built untagged (its id written to an `--iidfile`) and tagged only once the build succeeded,
/// so a failed or cancelled build never leaves a half-built image under the real name.
public struct PodmanBuilder: Sendable {
    public var client: PodmanClient
    public var settings: Settings
    /// Directory of the build context, resolved (settings' `build_context`, else the current one).
    public var contextDirectory: String
    public var history: PodmanBuildHistory?

    public init(client: PodmanClient, settings: Settings, contextDirectory: String? = nil, history: PodmanBuildHistory? = nil) {
        self.client = client
        self.settings = settings
        self.contextDirectory = contextDirectory ?? Self.resolveContext(settings.buildContext)
        self.history = history
    }

    public var containerfilePath: String {
        settings.containerfile.hasPrefix("/")
            ? settings.containerfile
            : (contextDirectory as NSString).appendingPathComponent(settings.containerfile)
    }

    /// `podman build` arguments; `iidFile` receives the image id.
    public func arguments(iidFile: String) -> [String] {
        var arguments = ["build", "--format", "docker", "--file", containerfilePath, "--iidfile", iidFile]
        for key in settings.buildArgs.keys.sorted() { arguments += ["--build-arg", "\(key)=\(settings.buildArgs[key] ?? "")"] }
        return arguments + ["--", contextDirectory]
    }

    /// Starts the build. `tag` is applied on success (nil: leave it to the caller, as rebuild
    /// does). Cancel stops podman (SIGTERM, then SIGKILL) and reports `.cancelled`.
    public func build(tag: String?) -> PodmanJob<PodmanBuildUpdate> {
        let (stream, continuation) = AsyncStream<PodmanBuildUpdate>.makeStream(bufferingPolicy: .unbounded)
        let control = BuildControl()
        let task = Task { await run(tag: tag, control: control, continuation: continuation) }
        continuation.onTermination = { _ in
            control.cancel()
            task.cancel()
        }
        return PodmanJob(updates: stream, onCancel: { control.cancel() })
    }

    private func run(tag: String?, control: BuildControl, continuation: AsyncStream<PodmanBuildUpdate>.Continuation) async {
        let startedAt = Date()
        let outcome = await perform(tag: tag, control: control, startedAt: startedAt, continuation: continuation)
        try? history?.append(PodmanBuildRecord(startedAt: startedAt, tag: tag ?? settings.image, outcome: outcome))
        continuation.yield(.finished(outcome))
        continuation.finish()
    }

    private func perform(
        tag: String?, control: BuildControl, startedAt: Date, continuation: AsyncStream<PodmanBuildUpdate>.Continuation
    ) async -> PodmanBuildOutcome {
        func elapsed() -> TimeInterval { Date().timeIntervalSince(startedAt) }
        guard FileManager.default.fileExists(atPath: containerfilePath) else {
            return .failed(exitCode: -1, message: PodmanFailure.containerfileMissing(path: containerfilePath).message, duration: elapsed())
        }
        let scratch: String
        do {
            scratch = try PrivateFiles.temporaryDirectory(prefix: "opencode-ops-build")
        } catch {
            return .failed(exitCode: -1, message: error.description, duration: elapsed())
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let iidFile = (scratch as NSString).appendingPathComponent("image.iid")
        let process: RunningProcess
        do {
            process = try client.start(arguments(iidFile: iidFile))
        } catch {
            return .failed(exitCode: -1, message: error.message, duration: elapsed())
        }
        guard control.attach(process) else {
            process.terminate(grace: 1)
            _ = await process.exitCode()
            return .cancelled(duration: elapsed())
        }
        var progress: PodmanBuildProgress?
        var lastError = ""
        for await line in process.output {
            if let step = PodmanBuildProgress(line: line.text) { progress = step }
            let isError = line.source == .stderr && Self.looksLikeError(line.text)
            if isError { lastError = line.text }
            continuation.yield(.line(PodmanBuildLine(text: line.text, isError: isError, progress: progress, elapsed: elapsed())))
        }
        let code = await process.exitCode()
        if control.isCancelled { return .cancelled(duration: elapsed()) }
        guard code == 0 else {
            let message = PodmanClient.lastErrorLine(lastError) ?? "podman build exited with status \(code)"
            return .failed(exitCode: code, message: message, duration: elapsed())
        }
        // The iidfile holds `sha256:<id>`; inspect and ps report the bare id.
        var imageID = ((try? String(contentsOfFile: iidFile, encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if imageID.hasPrefix("sha256:") { imageID.removeFirst("sha256:".count) }
        guard !imageID.isEmpty else {
            return .failed(exitCode: code, message: "podman build wrote no image id", duration: elapsed())
        }
        if let tag {
            do {
                try await client.checked(["tag", "--", imageID, tag])
            } catch {
                return .failed(exitCode: -1, message: error.message, duration: elapsed())
            }
        }
        return .succeeded(imageID: imageID, tag: tag ?? "", duration: elapsed())
    }

    /// buildah writes progress and errors to stderr alike; only these read as errors.
    static func looksLikeError(_ line: String) -> Bool {
        line.hasPrefix("Error") || line.hasPrefix("error") || line.contains("level=error") || line.contains("level=fatal")
    }

    static func resolveContext(_ configured: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        guard !configured.isEmpty else { return current }
        let expanded = (configured as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : (current as NSString).appendingPathComponent(expanded)
    }
}

/// Connects `cancel()` (any thread, any time) with the build process once it exists.
private final class BuildControl: @unchecked Sendable {
    private let lock = NSLock()
    private var process: RunningProcess?
    private var cancelled = false

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// False when cancel came first.
    func attach(_ process: RunningProcess) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        self.process = process
        return !cancelled
    }

    func cancel() {
        lock.lock()
        let wasCancelled = cancelled
        cancelled = true
        let process = self.process
        lock.unlock()
        if !wasCancelled { process?.terminate(grace: 5) }
    }
}
