/// Builds the Environment panel's rows from what is known before any container runs: the
/// Containerfile's ENV defaults, the config's overrides, and the console's own settings.
public enum EnvironmentRows {
    public static func make(containerfile: [ContainerfileEnv.Variable], settings: Settings) -> [EnvironmentEntry] {
        var rows: [EnvironmentEntry] = containerfile.map { variable in
            if let override = settings.environment[variable.name] {
                return EnvironmentEntry(
                    name: variable.name, value: override, source: .config,
                    note: "default \(variable.value)"
                )
            }
            return EnvironmentEntry(
                name: variable.name, value: variable.value, source: .containerfile,
                note: "line \(variable.line)"
            )
        }
        let defaults = Set(containerfile.map(\.name))
        for (name, value) in settings.environment.sorted(by: { $0.key < $1.key }) where !defaults.contains(name) {
            rows.append(EnvironmentEntry(name: name, value: value, source: .config))
        }
        return rows + settingRows(settings)
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
