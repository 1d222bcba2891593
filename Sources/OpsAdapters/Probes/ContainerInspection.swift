import Foundation
import OpsCore

/// One `podman container inspect` shared by the healthcheck probe and the Environment view:
/// state, health and the container's env. Each `refresh` runs one inspect however many readers
/// ask, so the environment rides on the health schedule instead of polling on its own.
public actor ContainerInspection {
    public struct Snapshot: Sendable {
        public var container: PodmanContainer
        /// Holds secrets: for probes and drift only, never shown.
        public var environment: [String: String]
        /// When the healthcheck last finished (`State.Health.Log[-1].End`), if ever.
        public var lastHealthcheck: Date?
        /// The image's healthcheck interval in seconds, when it has one.
        public var healthcheckInterval: Double?
    }

    public enum Outcome: Sendable {
        /// Nil when the container does not exist.
        case success(Snapshot?)
        case failure(String)
    }

    public nonisolated let container: String
    public nonisolated let client: PodmanClient
    private var task: Task<Outcome, Never>?

    public init(client: PodmanClient, container: String) {
        self.client = client
        self.container = container
    }

    /// Starts a fresh inspect; the next `value()` waits for it.
    public func refresh() {
        let client = client
        let container = container
        task = Task { await Self.inspect(client, container) }
    }

    /// The latest inspect, running one first when none ran yet.
    public func value() async -> Outcome {
        if task == nil { refresh() }
        return await task!.value
    }

    /// A fresh inspect, waited for.
    public func fresh() async -> Outcome {
        refresh()
        return await value()
    }

    private static func inspect(_ client: PodmanClient, _ container: String) async -> Outcome {
        let result: ProcessResult
        do {
            result = try await client.run(["container", "inspect", "--format", "json", "--", container])
        } catch {
            return .failure("podman: \(error.message)")
        }
        guard result.succeeded else {
            if result.stderrText.lowercased().contains("no such") { return .success(nil) }
            return .failure("podman inspect failed: \(PodmanClient.lastErrorLine(result.stderrText) ?? "exit \(result.exitCode)")")
        }
        do {
            guard let decoded = try PodmanDecoder.containers(fromInspect: result.stdout).first else { return .success(nil) }
            let extra = extras(fromInspect: result.stdout)
            return .success(Snapshot(container: decoded, environment: extra.environment,
                                     lastHealthcheck: extra.lastCheck, healthcheckInterval: extra.interval))
        } catch {
            return .failure(error.message)
        }
    }

    /// What the decoder leaves out: `Config.Env` (on purpose: it holds secrets), the last
    /// healthcheck's end time and the healthcheck interval (nanoseconds in inspect).
    static func extras(fromInspect data: Data) -> (environment: [String: String], lastCheck: Date?, interval: Double?) {
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]],
              let object = array.first else { return ([:], nil, nil) }
        let config = object["Config"] as? [String: Any] ?? [:]
        let state = object["State"] as? [String: Any] ?? [:]
        let health = (state["Health"] ?? state["Healthcheck"]) as? [String: Any]
        let log = health?["Log"] as? [[String: Any]] ?? []
        let lastCheck = (log.last?["End"] as? String).flatMap(PodmanTime.parse)
        let interval = ((config["Healthcheck"] as? [String: Any])?["Interval"] as? NSNumber).map { $0.doubleValue / 1e9 }
        return (EnvLayers.dictionary(fromAssignments: config["Env"] as? [String] ?? []), lastCheck, interval)
    }
}
