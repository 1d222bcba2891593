/// What an edit of config.yaml changed, sorted by when it takes effect: at once, at the next
/// apply (the containers are recreated), at the next build, or only in a new console.
public struct SettingsChange: Equatable, Sendable {
    public var live: [String] = []
    public var needsApply: [String] = []
    public var needsBuild: [String] = []
    public var needsRestart: [String] = []

    public var isEmpty: Bool { live.isEmpty && needsApply.isEmpty && needsBuild.isEmpty && needsRestart.isEmpty }

    public init(from old: Settings, to new: Settings) {
        func note<Value: Equatable>(_ key: String, _ path: KeyPath<Settings, Value>, into list: WritableKeyPath<SettingsChange, [String]>) {
            if old[keyPath: path] != new[keyPath: path] { self[keyPath: list].append(key) }
        }
        // Keys as config.yaml spells them.
        note("theme", \.theme, into: \.live)
        note("keys", \.keys, into: \.live)
        note("readonly", \.readonly, into: \.live)
        note("log_lines", \.logLines, into: \.live)
        note("secret_names", \.secretNames, into: \.live)
        note("image", \.image, into: \.needsApply)
        note("bind_address", \.bindAddress, into: \.needsApply)
        note("port", \.port, into: \.needsApply)
        note("falkordb_image", \.falkordbImage, into: \.needsApply)
        note("valkey_image", \.valkeyImage, into: \.needsApply)
        note("allow_unauthenticated", \.allowUnauthenticated, into: \.needsApply)
        note("log_max_size", \.logMaxSize, into: \.needsApply)
        note("env_file", \.envFile, into: \.needsApply)
        note("environment", \.environment, into: \.needsApply)
        note("build_context", \.buildContext, into: \.needsBuild)
        note("containerfile", \.containerfile, into: \.needsBuild)
        note("build_args", \.buildArgs, into: \.needsBuild)
        // Another pod, another podman or mouse reporting: the watches and the terminal are set
        // up once, at start.
        note("pod", \.pod, into: \.needsRestart)
        note("podman.binary", \.podmanBinary, into: \.needsRestart)
        note("podman.connection", \.podmanConnection, into: \.needsRestart)
        note("mouse", \.mouse, into: \.needsRestart)
    }

    /// The settings a reload runs with: the new ones, except those only a new console can take
    /// (kept as they run), and read-only, which an edit may turn on but never off (a console
    /// opened with `--readonly` stays so).
    public static func applied(_ new: Settings, over old: Settings) -> Settings {
        var settings = new
        settings.pod = old.pod
        settings.podmanBinary = old.podmanBinary
        settings.podmanConnection = old.podmanConnection
        settings.mouse = old.mouse
        settings.readonly = old.readonly || new.readonly
        return settings
    }

    /// Lines for the messages list: what changed and what the operator must do for the rest.
    public var messages: [(String, MessageLevel)] {
        guard !isEmpty else { return [("config.yaml reloaded: nothing changed", .info)] }
        var lines: [(String, MessageLevel)] = []
        if !live.isEmpty { lines.append(("config.yaml reloaded: \(live.joined(separator: ", ")) now in effect", .success)) }
        if !needsApply.isEmpty {
            lines.append(("\(needsApply.joined(separator: ", ")) changed: press a to apply (recreates only what differs)", .warning))
        }
        if !needsBuild.isEmpty { lines.append(("\(needsBuild.joined(separator: ", ")) changed: used by the next build (b)", .info)) }
        if !needsRestart.isEmpty {
            lines.append(("\(needsRestart.joined(separator: ", ")) changed: takes effect in a new console (this one keeps the old value)", .warning))
        }
        return lines
    }
}
