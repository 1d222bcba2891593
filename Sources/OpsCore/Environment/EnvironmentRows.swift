/// Builds the Environment panel's rows: the environment model's variables, then the console's
/// own settings.
public enum EnvironmentRows {
    /// The model's rows (already masked) followed by the console settings section. What needs
    /// the operator comes first (missing required values, drift), then values that are set, then
    /// the unset rest, each in catalogue order: a short panel shows what matters.
    public static func make(rows: [EnvRow], origin: EnvironmentOrigin, settings: Settings) -> [EnvironmentEntry] {
        func rank(_ row: EnvRow) -> Int {
            if row.isMissingRequired || row.needsRestart { return 0 }
            return row.isSet ? 1 : 2
        }
        let ordered = rows.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        return ordered.map { EnvironmentEntry(row: $0, origin: origin) } + settingRows(settings)
    }

    /// What is known before podman answers: the Containerfile's ENV defaults and the config's
    /// overrides (the env file and the running container come with the first inspect).
    public static func make(
        containerfile: [ContainerfileEnv.Variable], settings: Settings, envFile: [String: String] = [:]
    ) -> [EnvironmentEntry] {
        let defaults = Dictionary(containerfile.map { ($0.name, $0.value) }) { _, later in later }
        let layers = EnvLayers(imageDefaults: defaults, envFile: envFile, config: settings.environment, declaredSecrets: settings.secretNames)
        return make(rows: EnvironmentModel.rows(layers), origin: .containerfile, settings: settings)
    }

    /// The console's own settings, shown lowercase so they read apart from variables.
    static func settingRows(_ settings: Settings) -> [EnvironmentEntry] {
        let defaults = Settings()
        func row(_ name: String, _ value: String, _ defaultValue: String) -> EnvironmentEntry {
            EnvironmentEntry(
                name: name, value: value.isEmpty ? "(auto)" : value,
                source: value == defaultValue ? .consoleDefault : .config, kind: .setting
            )
        }
        return [
            row("pod", settings.pod, defaults.pod),
            row("image", settings.image, defaults.image),
            row("bind_address", settings.bindAddress, defaults.bindAddress),
            row("port", String(settings.port), String(defaults.port)),
            row("falkordb_image", settings.falkordbImage, defaults.falkordbImage),
            row("valkey_image", settings.valkeyImage, defaults.valkeyImage),
            row("build_context", settings.buildContext, defaults.buildContext),
            row("env_file", settings.envFile, defaults.envFile),
            row("theme", settings.theme, defaults.theme),
            row("readonly", String(settings.readonly), String(defaults.readonly)),
        ]
    }
}
