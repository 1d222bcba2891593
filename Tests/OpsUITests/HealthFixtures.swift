import Foundation
@testable import OpsCore

/// A console that has been probing for a while: every status once, latencies for sparklines,
/// and an environment with one secret set, one missing and one waiting for a restart.
enum HealthFixtures {
    static let secretValues = ["b2-key-id-DO-NOT-SHOW", "pw-DO-NOT-SHOW", "dd-api-DO-NOT-SHOW", "running-pw-DO-NOT-SHOW"]
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func results() -> [ProbeResult] {
        var results: [ProbeResult] = []
        func add(_ id: ProbeID, _ status: ProbeStatus, _ latencies: [Double?], detail: String = "", error: String? = nil,
                 changeAt: Int? = nil, before: ProbeStatus = .ok) {
            for (index, latency) in latencies.enumerated() {
                let current = changeAt.map { index >= $0 ? status : before } ?? status
                results.append(ProbeResult(
                    probe: id, status: current, latency: latency, detail: detail,
                    error: current == status ? error : nil, time: start.addingTimeInterval(Double(index) * 10)
                ))
            }
        }
        add(.opencode, .ok, [0.012, 0.015, 0.011, 0.030, 0.014, 0.013, 0.012, 0.018, 0.020, 0.012], detail: "HTTP 200 /global/health")
        add(.podmanHealth, .failing, [0.08, 0.09, 0.08, 0.10, 0.09, 0.12], detail: "unhealthy, failing streak 2",
            error: "last check: wget: server returned error: HTTP/1.1 404 Not Found", changeAt: 4)
        add(.falkordb, .degraded, [0.150, 0.160, 0.450, 0.600], detail: "PONG, graph module not loaded", changeAt: 2)
        add(.valkey, .ok, [0.140, 0.151, 0.149], detail: "PONG")
        add(.datadog, .notConfigured, [nil, nil], detail: "no DD_API_KEY, DD_AGENT_HOST or DD_TRACE_AGENT_URL")
        add(.b2, .ok, [nil], detail: "key id and key present")
        add(.graphiti, .unknown, [], detail: "")
        add(.backupFreshness, .failing, [0.41, 0.52], detail: "last good backup 3 d 2 h ago; max 48 h, twice the schedule's 24 h interval",
            error: "the last good backup is older than 48 h", changeAt: 1)
        return results.sorted { $0.time < $1.time }
    }

    static func layers() -> EnvLayers {
        EnvLayers(
            imageDefaults: ["FALKORDB_HOST": "localhost", "FALKORDB_PORT": "6379", "VALKEY_HOST": "localhost", "VALKEY_PORT": "6380"],
            envFile: ["B2_APPLICATION_KEY_ID": secretValues[0], "B2_BUCKET": "team-backups",
                      "OPENCODE_SERVER_PASSWORD": secretValues[1]],
            config: ["DD_API_KEY": secretValues[2], "VALKEY_PORT": "6390"],
            running: ["FALKORDB_HOST": "localhost", "FALKORDB_PORT": "6379", "VALKEY_HOST": "localhost",
                      "VALKEY_PORT": "6380", "OPENCODE_SERVER_PASSWORD": secretValues[3], "B2_BUCKET": "team-backups",
                      "B2_APPLICATION_KEY_ID": secretValues[0], "DD_API_KEY": secretValues[2]]
        )
    }

    static func state(width: Int, height: Int, glyphs: GlyphMode, focus: Panel = .health) -> AppState {
        var state = Fixtures.state(width: width, height: height, glyphs: glyphs)
        state = update(state, .health(.started([.opencode, .podmanHealth, .falkordb, .valkey, .datadog, .b2, .graphiti, .backupFreshness]))).0
        for result in results() { state = update(state, .health(.result(result))).0 }
        state = update(state, .health(.environment(
            rows: EnvironmentModel.rows(layers()), origin: .image("localhost/opencode-server:latest"), containerRunning: true
        ))).0
        state.focus = focus
        return state
    }
}
