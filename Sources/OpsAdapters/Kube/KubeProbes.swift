import OpsCore

/// Liveness, readiness and startup probes for the three containers.
///
/// OpenCode is checked with an exec probe rather than `httpGet`: with `OPENCODE_SERVER_PASSWORD`
/// set the server wants basic auth, and an `httpGet` probe could only carry the password written
/// into the manifest. The exec probe runs the image's own health check command with the password
/// from the container's environment, sent to curl on stdin so it never appears in `ps`.
enum KubeProbes {
    /// Same approach as the image's HEALTHCHECK, against the health endpoint; the body is dropped
    /// (a server's answer must never end up in an event or a log).
    static let opencodeScript = #"if [ -n "${OPENCODE_SERVER_PASSWORD:-}" ]; then printf 'user = "%s:%s"\n' "${OPENCODE_SERVER_USERNAME:-opencode}" "$OPENCODE_SERVER_PASSWORD"; fi | curl -fsS -o /dev/null --max-time 8 -K - http://127.0.0.1:\#(BringUpPlanner.opencodePort)/global/health"#

    static func command(for role: PodmanRole) -> [String] {
        switch role {
        case .opencode: ["sh", "-c", opencodeScript]
        case .falkordb: ["redis-cli", "-p", "6379", "ping"]
        case .valkey: ["redis-cli", "-p", "\(BringUpPlanner.valkeyPort)", "ping"]
        }
    }

    /// The probe fields of one container. The startup probe gives a slow first start (a large
    /// database to load, a cold volume) up to five minutes before liveness may restart anything.
    static func fields(for role: PodmanRole) -> [(String, KubeValue)] {
        let exec = KubeValue.object(("command", .strings(command(for: role))))
        let timeout = role == .opencode ? 10 : 5
        func probe(period: Int, failures: Int) -> KubeValue {
            .object(("exec", exec), ("periodSeconds", .int(period)), ("timeoutSeconds", .int(timeout)),
                    ("failureThreshold", .int(failures)))
        }
        return [
            ("startupProbe", probe(period: 5, failures: 60)),
            ("livenessProbe", probe(period: role == .opencode ? 30 : 15, failures: 3)),
            ("readinessProbe", probe(period: 10, failures: 3)),
        ]
    }
}
