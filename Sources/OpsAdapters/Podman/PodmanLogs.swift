import Foundation
import OpsCore

/// `podman logs [-f] --tail N [--timestamps] CONTAINER`, streamed line by line.
public struct PodmanLogs: Sendable {
    public var client: PodmanClient

    public init(client: PodmanClient) {
        self.client = client
    }

    public static func arguments(container: String, tail: Int, follow: Bool, timestamps: Bool) -> [String] {
        var arguments = ["logs", "--tail", "\(max(tail, 0))"]
        if follow { arguments.append("--follow") }
        if timestamps { arguments.append("--timestamps") }
        return arguments + ["--", container]
    }

    /// Lines of `container` (stdout and stderr as the container wrote them); ends when podman
    /// stops (container removed, or not following). Cancel stops following.
    public func stream(container: String, tail: Int, follow: Bool = true, timestamps: Bool = false) -> PodmanJob<PodmanLogLine> {
        let (stream, continuation) = AsyncStream<PodmanLogLine>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let process: RunningProcess
        do {
            process = try client.start(Self.arguments(container: container, tail: tail, follow: follow, timestamps: timestamps))
        } catch {
            continuation.yield(PodmanLogLine(container: container, text: error.message, isError: true))
            continuation.finish()
            return PodmanJob(updates: stream, onCancel: {})
        }
        let task = Task {
            for await line in process.output {
                continuation.yield(PodmanLogLine(container: container, text: line.text, isError: line.source == .stderr))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            process.terminate(grace: 1)
            task.cancel()
        }
        return PodmanJob(updates: stream, onCancel: { process.terminate(grace: 1) })
    }

    /// Follows `container`'s log for a view that keeps `keep` lines. The lines gather in a
    /// `LineTail` on podman's reading thread: when they come faster than the reader takes them,
    /// the oldest are dropped there and counted, so a flooding container costs bounded memory
    /// and the reader's time stays in proportion to what it shows. `onReady` says lines (or the
    /// end) are waiting, with the tail to take them from. Returns how to stop podman.
    public func follow(
        container: String, tail: Int, keep: Int, timestamps: Bool = false,
        onReady: @escaping @Sendable (LineTail<PodmanLogLine>) -> Void
    ) -> @Sendable () -> Void {
        let lines = LineTail<PodmanLogLine>(capacity: keep, onReady: onReady)
        let splitters = ChunkSplitters()
        let process: RunningProcess
        do {
            process = try client.start(Self.arguments(container: container, tail: tail, follow: true, timestamps: timestamps)) { source, chunk in
                let isError = source == .stderr
                lines.append(splitters.feed(chunk, from: source).map { PodmanLogLine(container: container, text: $0, isError: isError) })
            }
        } catch {
            lines.append([PodmanLogLine(container: container, text: error.message, isError: true)])
            lines.finish()
            return {}
        }
        Task.detached {
            _ = await process.exitCode()
            for (source, rest) in splitters.flush() {
                lines.append([PodmanLogLine(container: container, text: rest, isError: source == .stderr)])
            }
            lines.finish()
        }
        return { process.terminate(grace: 1) }
    }
}

/// One line splitter per output of a process; each is fed from its own reading thread.
private final class ChunkSplitters: @unchecked Sendable {
    private let lock = NSLock()
    private var splitters: [ProcessOutputLine.Source: LineSplitter] = [.stdout: LineSplitter(), .stderr: LineSplitter()]

    func feed(_ chunk: Data, from source: ProcessOutputLine.Source) -> [String] {
        lock.withLock { splitters[source]!.feed(chunk) }
    }

    func flush() -> [(ProcessOutputLine.Source, String)] {
        lock.withLock {
            [ProcessOutputLine.Source.stdout, .stderr].compactMap { source in splitters[source]!.flush().map { (source, $0) } }
        }
    }
}
