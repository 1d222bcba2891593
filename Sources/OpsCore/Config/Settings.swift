/// Everything the operator can set in `config.yaml`. Every field has a default, so an empty or
/// missing file is a valid configuration.
public struct Settings: Equatable, Sendable {
    /// Theme name: a bundled theme or one under the user's themes folder.
    public var theme: String = "default"
    /// Directory holding the Containerfile; empty means the current directory when it has one.
    public var buildContext: String = ""
    /// Containerfile name inside the build context.
    public var containerfile: String = "Containerfile"
    /// Tag given to the OpenCode image the console builds and runs.
    public var image: String = "localhost/opencode-server:latest"
    /// Name of the pod that holds OpenCode and its sidecars.
    public var pod: String = "opencode"
    /// Host address the OpenCode port is published on.
    public var bindAddress: String = "127.0.0.1"
    /// Host port published for OpenCode's 4096.
    public var port: Int = 4096
    /// Sidecar images, pinned to a release so two bring-ups a month apart run the same database.
    public var falkordbImage: String = Settings.pinnedFalkorDBImage
    public var valkeyImage: String = Settings.pinnedValkeyImage
    public static let pinnedFalkorDBImage = "docker.io/falkordb/falkordb-server:v4.14.8"
    public static let pinnedValkeyImage = "docker.io/valkey/valkey:8.1.1"
    /// Start OpenCode without a server password. Only honoured for a loopback `bindAddress`.
    public var allowUnauthenticated: Bool = false
    /// `--log-opt max-size` for every container: podman's own log of a chatty container stays bounded.
    public var logMaxSize: String = "50m"
    /// Env file with the secrets, passed to podman with `--env-file`; empty means the default
    /// `$XDG_CONFIG_HOME/opencode-ops/secrets.env`.
    public var envFile: String = ""
    /// `--build-arg` values for image builds.
    public var buildArgs: [String: String] = [:]
    /// Environment overrides for the OpenCode container; they reach podman in a private env
    /// file, never on its command line.
    public var environment: [String: String] = [:]
    /// Variables to treat as secret besides those the catalogue marks (and the secrets file's
    /// own unknown names): masked everywhere, and put in the Kubernetes Secret.
    public var secretNames: [String] = []
    /// Podman binary and optional remote connection (`--connection NAME`).
    public var podmanBinary: String = "podman"
    public var podmanConnection: String = ""
    /// Lines kept in the log view.
    public var logLines: Int = 2000
    /// Mouse reporting; off by default so terminal selection keeps working.
    public var mouse: Bool = false
    /// Refuse every action that changes something.
    public var readonly: Bool = false
    /// Key overrides: action name → key spec (see `KeyMap`).
    public var keys: [String: String] = [:]

    public init() {}
}
