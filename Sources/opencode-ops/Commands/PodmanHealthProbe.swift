import Foundation
import OpsAdapters
import OpsCore

/// The OpenCode container's own healthcheck (`State.Health` from inspect) as a probe. Kept next
/// to the commands until the podman adapter offers one; any `Probe` fits the scheduler.
struct PodmanHealthProbe: Probe {
    let id: ProbeID = .podmanHealth
    var schedule = ProbeSchedule(interval: 15, timeout: 5)
    var inspection: ContainerInspection

    func check() async -> ProbeResult {
        let start = Date()
        let outcome = await inspection.value()
        let latency = Date().timeIntervalSince(start)
        guard case .success(let state) = outcome else {
            if case .failure(let message) = outcome {
                return ProbeResult(probe: id, status: .failing, latency: latency, error: message)
            }
            return ProbeResult(probe: id, status: .unknown)
        }
        guard let state else {
            return ProbeResult(probe: id, status: .failing, latency: latency, error: "container \(inspection.container) does not exist")
        }
        guard state.running else {
            return ProbeResult(probe: id, status: .failing, latency: latency, detail: state.status, error: "container is \(state.status)")
        }
        let streak = state.failingStreak > 0 ? ", failing streak \(state.failingStreak)" : ""
        switch state.health {
        case "healthy": return ProbeResult(probe: id, status: .ok, latency: latency, detail: "healthy\(streak)")
        case "unhealthy":
            return ProbeResult(probe: id, status: .failing, latency: latency, detail: "unhealthy\(streak)",
                               error: state.lastOutput.map { "last check: \($0.prefix(200))" } ?? "healthcheck failing")
        case "starting": return ProbeResult(probe: id, status: .degraded, latency: latency, detail: "starting\(streak)")
        default: return ProbeResult(probe: id, status: .notConfigured, latency: latency, detail: "running, no healthcheck")
        }
    }
}

/// One `podman container inspect` shared by the health probe and the environment: state,
/// health and the container's env. Runs once per `refresh`, however many readers ask.
actor ContainerInspection {
    struct State: Sendable {
        var running: Bool
        var status: String
        var health: String
        var failingStreak: Int
        var lastOutput: String?
        /// Holds secrets: for probes and drift only, never printed.
        var environment: [String: String]
    }

    enum Outcome: Sendable {
        case success(State?)
        case failure(String)
    }

    nonisolated let container: String
    private let client: PodmanClient
    private var task: Task<Outcome, Never>?

    init(client: PodmanClient, container: String) {
        self.client = client
        self.container = container
    }

    /// Starts a fresh inspect; the next `value()` waits for it.
    func refresh() {
        let client = client
        let container = container
        task = Task { await Self.inspect(client, container) }
    }

    func value() async -> Outcome {
        if task == nil { refresh() }
        return await task!.value
    }

    private static func inspect(_ client: PodmanClient, _ container: String) async -> Outcome {
        let result: ProcessResult
        do {
            result = try await client.run(["container", "inspect", "--format", "json", container])
        } catch {
            return .failure("podman: \(error.message)")
        }
        guard result.succeeded else {
            if result.stderrText.lowercased().contains("no such") { return .success(nil) }
            return .failure("podman inspect failed: \(PodmanClient.lastErrorLine(result.stderrText) ?? "exit \(result.exitCode)")")
        }
        guard let array = try? JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]],
              let object = array.first else {
            return .failure("podman inspect: unexpected output")
        }
        let state = object["State"] as? [String: Any] ?? [:]
        let health = (state["Health"] ?? state["Healthcheck"]) as? [String: Any]
        let log = health?["Log"] as? [[String: Any]] ?? []
        let config = object["Config"] as? [String: Any] ?? [:]
        return .success(State(
            running: state["Running"] as? Bool ?? false,
            status: state["Status"] as? String ?? "unknown",
            health: (health?["Status"] as? String ?? "").lowercased(),
            failingStreak: health?["FailingStreak"] as? Int ?? 0,
            lastOutput: (log.last?["Output"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines),
            environment: EnvLayers.dictionary(fromAssignments: config["Env"] as? [String] ?? [])
        ))
    }
}
