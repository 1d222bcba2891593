/// An interactive program run in one of the pod's containers with the terminal handed over:
/// a shell in OpenCode, or redis-cli in a database sidecar.
public enum ExecTarget: Equatable, Sendable {
    case shell
    case redisCli(PodmanRole)

    /// The container role the program runs in.
    public var role: PodmanRole {
        switch self {
        case .shell: return .opencode
        case .redisCli(let role): return role
        }
    }

    /// What the audit log and messages call it: "shell" or "redis-cli".
    public var program: String {
        switch self {
        case .shell: return "shell"
        case .redisCli: return "redis-cli"
        }
    }

    /// The target the `shell` subcommand's argument names: opencode, falkordb or valkey.
    public init?(argument: String) {
        switch PodmanRole(rawValue: argument) {
        case .opencode?: self = .shell
        case .falkordb?: self = .redisCli(.falkordb)
        case .valkey?: self = .redisCli(.valkey)
        case nil: return nil
        }
    }
}

/// The `podman exec` that runs a target: container, program and the one variable it takes
/// from podman's own environment. The sidecar password travels as `REDISCLI_AUTH` in that
/// environment (`-e NAME` without a value), never on a command line.
public struct ContainerExecPlan: Equatable, Sendable {
    /// bash when the image has it, else sh.
    static let shellScript = "command -v bash >/dev/null 2>&1 && exec bash || exec sh"

    public var target: ExecTarget
    public var container: String
    public var command: [String]
    /// Set when the target's password variable is set; goes only into podman's environment.
    public var password: String?

    /// The port each database sidecar listens on inside the pod: `up` starts them so, whatever
    /// port the OpenCode side is told (redis-cli runs in the sidecar itself).
    public static func sidecarPort(_ role: PodmanRole) -> Int {
        role == .valkey ? 6380 : 6379
    }

    /// `environment` is what the container gets from the env file and the config: it holds
    /// `<PREFIX>_USERNAME` and `_PASSWORD` (PREFIX FALKORDB or VALKEY) when set.
    public init(target: ExecTarget, pod: String, environment: [String: String]) {
        self.target = target
        container = target.role.containerName(pod: pod)
        switch target {
        case .shell:
            command = ["sh", "-c", Self.shellScript]
            password = nil
        case .redisCli(let role):
            let prefix = role == .valkey ? "VALKEY" : "FALKORDB"
            command = ["redis-cli", "-p", String(Self.sidecarPort(role))]
            if let username = environment.nonEmptyValue("\(prefix)_USERNAME") { command += ["--user", username] }
            password = environment.nonEmptyValue("\(prefix)_PASSWORD")
        }
    }

    public static let passwordVariable = "REDISCLI_AUTH"

    /// podman's arguments (after any global options); the values of `environment` are not in them.
    public var podmanArguments: [String] {
        var arguments = ["exec", "-it"]
        if password != nil { arguments += ["-e", Self.passwordVariable] }
        return arguments + ["--", container] + command
    }

    /// Variables to add to podman's environment.
    public var environment: [String: String] {
        password.map { [Self.passwordVariable: $0] } ?? [:]
    }
}

extension Dictionary where Key == String, Value == String {
    fileprivate func nonEmptyValue(_ key: String) -> String? {
        self[key].flatMap { $0.isEmpty ? nil : $0 }
    }
}
