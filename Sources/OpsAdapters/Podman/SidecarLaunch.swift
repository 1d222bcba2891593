import OpsCore

/// How FalkorDB and Valkey start in the pod: on 127.0.0.1 only (the pod's containers share
/// localhost, so nothing outside the pod reaches them), with `requirepass` when the secrets file
/// holds a password. The password goes to the server as a config line on its standard input,
/// read by a small shell wrapper from the container's environment: never on a command line.
enum SidecarLaunch {
    /// The variable each sidecar takes its password from.
    static let passwordVariable: [PodmanRole: String] = [.falkordb: "FALKORDB_PASSWORD", .valkey: "VALKEY_PASSWORD"]

    static let falkordbPort = 6379

    /// The server command of each image: FalkorDB is redis-server with the graph module, Valkey
    /// its own server.
    static func serverCommand(_ role: PodmanRole) -> [String] {
        switch role {
        case .falkordb: ["redis-server", "--port", "\(falkordbPort)"]
        case .valkey: ["valkey-server", "--port", "\(BringUpPlanner.valkeyPort)"]
        case .opencode: []
        }
    }

    /// Words the wrapper's shell adds, for what only the container knows: FalkorDB's images say
    /// where the module is in FALKORDB_BIN_PATH.
    static func shellWords(_ role: PodmanRole) -> String {
        role == .falkordb ? #" --loadmodule "${FALKORDB_BIN_PATH:-/var/lib/falkordb/bin}/falkordb.so""# : ""
    }

    /// `sh -c` script: `$@` is the server command; `-` as its last argument makes the server read
    /// one more config line from stdin, which the here-document fills from the environment.
    static func script(_ role: PodmanRole, passwordVariable name: String) -> String {
        """
        set -- "$@" --bind 127.0.0.1 --protected-mode yes --dir /data\(shellWords(role))
        if [ -n "${\(name):-}" ]; then
        exec "$@" - <<EOF
        requirepass ${\(name)}
        EOF
        fi
        exec "$@"
        """
    }

    /// The sidecar spec with the wrapper as its entrypoint.
    static func apply(to spec: PodmanContainerSpec) -> PodmanContainerSpec {
        guard let name = passwordVariable[spec.role] else { return spec }
        var spec = spec
        spec.entrypoint = "/bin/sh"
        spec.arguments = ["-c", script(spec.role, passwordVariable: name), "\(spec.role.rawValue)-wrapper"] + serverCommand(spec.role)
        return spec
    }
}
