import Foundation
import OpsCore

/// Keeps the console's view of the pod current without polling: one snapshot, then a
/// long-lived `podman events` process filtered to our pod's label; each burst of events is
/// followed by a fresh snapshot. When the events process ends (podman restarted, killed,
/// remote connection dropped) it is started again and the state resynced.
public struct PodmanWatch: Sendable {
    public var client: PodmanClient
    public var pod: String
    /// Wait before restarting a dead events stream (doubles up to 30 s while it keeps failing fast).
    public var reconnectDelay: TimeInterval
    /// Events arriving within this window share one snapshot.
    public var coalescing: TimeInterval

    public init(client: PodmanClient, pod: String, reconnectDelay: TimeInterval = 1, coalescing: TimeInterval = 0.15) {
        self.client = client
        self.pod = pod
        self.reconnectDelay = reconnectDelay
        self.coalescing = coalescing
    }

    /// Arguments of the events process: everything `up` creates carries the pod label, and
    /// podman ANDs different filter keys, so the label alone selects our containers (infra too).
    public var eventArguments: [String] {
        ["events", "--format", "json", "--filter", "label=\(PodmanLabels.pod)=\(pod)"]
    }

    /// Updates until the consuming task stops listening.
    public func updates() -> AsyncStream<PodmanWatchUpdate> {
        let (stream, continuation) = AsyncStream<PodmanWatchUpdate>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let task = Task { await run(continuation) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(_ continuation: AsyncStream<PodmanWatchUpdate>.Continuation) async {
        var attempt = 0
        while !Task.isCancelled {
            let started = Date()
            let reason: String
            do {
                let process = try client.start(eventArguments)
                continuation.yield(.connected(processID: process.processID))
                await sendSnapshot(continuation)
                reason = await follow(process, continuation)
            } catch {
                reason = error.message
                continuation.yield(.failed(error))
            }
            if Task.isCancelled { break }
            attempt = Date().timeIntervalSince(started) > 30 ? 1 : attempt + 1
            continuation.yield(.disconnected(reason: reason, attempt: attempt))
            let delay = min(30, reconnectDelay * pow(2, Double(min(attempt - 1, 5))))
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        }
        continuation.finish()
    }

    /// Relays events until the process ends; returns why it ended.
    private func follow(_ process: RunningProcess, _ continuation: AsyncStream<PodmanWatchUpdate>.Continuation) async -> String {
        let pending = SnapshotDebouncer()
        var lastError = ""
        await withTaskCancellationHandler {
            for await line in process.output {
                guard line.source == .stdout else {
                    if !line.text.isEmpty { lastError = line.text }
                    continue
                }
                guard line.text.first == "{" else { continue }
                guard let event = try? PodmanDecoder.event(fromLine: line.text) else { continue }
                continuation.yield(.event(event))
                if pending.schedule() {
                    Task {
                        try? await Task.sleep(nanoseconds: UInt64(coalescing * 1e9))
                        pending.clear()
                        await sendSnapshot(continuation)
                    }
                }
            }
        } onCancel: {
            process.terminate(grace: 1)
        }
        let code = await process.exitCode()
        let detail = PodmanClient.lastErrorLine(lastError) ?? ""
        return "podman events ended (exit \(code))" + (detail.isEmpty ? "" : ": \(detail)")
    }

    private func sendSnapshot(_ continuation: AsyncStream<PodmanWatchUpdate>.Continuation) async {
        do {
            continuation.yield(.snapshot(try await client.snapshot(pod: pod)))
        } catch {
            continuation.yield(.failed(error))
        }
    }
}

/// At most one snapshot pending at a time.
private final class SnapshotDebouncer: @unchecked Sendable {
    private let lock = NSLock()
    private var scheduled = false

    /// True when the caller should schedule the snapshot.
    func schedule() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if scheduled { return false }
        scheduled = true
        return true
    }

    func clear() {
        lock.lock()
        scheduled = false
        lock.unlock()
    }
}
