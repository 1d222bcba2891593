import Foundation
import OpsCore

/// `podman stats --format json`: one sample, or a stream of them for the resources overlay.
/// Podman is asked for every running container and the pod's are picked by name, so a
/// container stopping or being recreated does not end the stream (naming one that goes away
/// makes podman exit).
public struct PodmanStats: Sendable {
    public var client: PodmanClient

    public init(client: PodmanClient) {
        self.client = client
    }

    public static func arguments(interval: Int?) -> [String] {
        var arguments = ["stats", "--format", "json"]
        if let interval { arguments += ["--interval", "\(max(1, interval))"] } else { arguments.append("--no-stream") }
        return arguments
    }

    /// One sample of `containers` (those running; none when the pod is down).
    public func sample(containers: [String]) async throws(PodmanFailure) -> [ContainerStats] {
        let result = try await client.checked(Self.arguments(interval: nil))
        return Self.keep(try PodmanStatsDecoder.containers(from: result.stdout), containers)
    }

    /// Streams a sample of `containers` every `interval` seconds to `onSample` until the
    /// returned function is called; `onEnd` hears why podman stopped by itself. The process
    /// gets SIGTERM on stop and SIGKILL a second later if it is still there.
    public func stream(
        containers: [String], interval: Int,
        onSample: @escaping @Sendable ([ContainerStats]) -> Void,
        onEnd: @escaping @Sendable (String) -> Void
    ) -> @Sendable () -> Void {
        let reader = StreamReader()
        let process: RunningProcess
        do {
            process = try client.start(Self.arguments(interval: interval)) { source, chunk in
                switch source {
                case .stdout:
                    for array in reader.feed(chunk) {
                        do throws(PodmanFailure) {
                            onSample(Self.keep(try PodmanStatsDecoder.containers(from: array), containers))
                        } catch {
                            reader.note(error.message)
                        }
                    }
                case .stderr:
                    reader.note(String(decoding: chunk, as: UTF8.self))
                }
            }
        } catch {
            onEnd(error.message)
            return {}
        }
        let stopped = StatsStopFlag()
        Task.detached {
            let code = await process.exitCode()
            guard !stopped.isSet else { return }
            let detail = PodmanClient.lastErrorLine(reader.errors) ?? "no output"
            onEnd("podman stats exited (\(code)): \(detail)")
        }
        return {
            stopped.set()
            process.terminate(grace: 1)
        }
    }

    static func keep(_ stats: [ContainerStats], _ names: [String]) -> [ContainerStats] {
        stats.filter { names.contains($0.name) }
    }
}

/// The stream's splitter and the last error text, fed from the process's reading threads.
private final class StreamReader: @unchecked Sendable {
    private let lock = NSLock()
    private var stream = PodmanStatsStream()
    private var errorText = ""

    func feed(_ chunk: Data) -> [Data] {
        lock.withLock { stream.feed(chunk) }
    }

    func note(_ text: String) {
        lock.withLock { errorText = String((errorText + text).suffix(2000)) }
    }

    var errors: String { lock.withLock { errorText } }
}

private final class StatsStopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
