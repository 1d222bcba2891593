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
}
