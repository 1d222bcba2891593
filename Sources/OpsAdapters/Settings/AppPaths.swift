import Foundation
import OpsCore

/// Where the console keeps its files, following the XDG base directory rules.
///
/// - config: `$XDG_CONFIG_HOME/opencode-ops/config.yaml`, or `$OPENCODE_OPS_CONFIG` when set
/// - user themes: `$XDG_CONFIG_HOME/opencode-ops/themes/`
/// - secrets: `$XDG_CONFIG_HOME/opencode-ops/secrets.env` unless `env_file` names another
/// - state: `$XDG_STATE_HOME/opencode-ops/`, logs in its `logs/`
///
/// Unset, empty or relative XDG variables fall back to `~/.config` and `~/.local/state`, as the
/// specification requires.
public struct AppPaths: Equatable, Sendable {
    public static let applicationName = "opencode-ops"
    public static let configOverrideVariable = "OPENCODE_OPS_CONFIG"

    public var configFile: String
    /// True when `OPENCODE_OPS_CONFIG` chose the config file.
    public var configFileFromEnvironment: Bool
    public var configDirectory: String
    public var userThemesDirectory: String
    public var defaultSecretsFile: String
    public var stateDirectory: String
    public var logDirectory: String
    /// The bundled themes folder found next to the executable; nil when there is none and only
    /// the built-in fallback theme is available.
    public var bundledThemesDirectory: String?

    public init(
        configFile: String, configFileFromEnvironment: Bool, configDirectory: String,
        userThemesDirectory: String, defaultSecretsFile: String, stateDirectory: String,
        logDirectory: String, bundledThemesDirectory: String?
    ) {
        self.configFile = configFile
        self.configFileFromEnvironment = configFileFromEnvironment
        self.configDirectory = configDirectory
        self.userThemesDirectory = userThemesDirectory
        self.defaultSecretsFile = defaultSecretsFile
        self.stateDirectory = stateDirectory
        self.logDirectory = logDirectory
        self.bundledThemesDirectory = bundledThemesDirectory
    }

    /// Paths for this process: its environment, and bundled themes found from its executable.
    public static func current(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = BundledThemesLocator.currentExecutable()
    ) -> AppPaths {
        resolve(
            environment: environment,
            bundledThemesDirectory: executable.flatMap(BundledThemesLocator.locate(executable:))
        )
    }

    /// The pure part of `current`: paths from an environment, no file system access.
    public static func resolve(environment: [String: String], bundledThemesDirectory: String?) -> AppPaths {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let configHome = absolute(environment["XDG_CONFIG_HOME"]) ?? join(home, ".config")
        let stateHome = absolute(environment["XDG_STATE_HOME"]) ?? join(home, ".local/state")
        let configDirectory = join(configHome, applicationName)
        let stateDirectory = join(stateHome, applicationName)
        let override = environment[configOverrideVariable].flatMap { $0.isEmpty ? nil : expandTilde($0, home: home) }
        return AppPaths(
            configFile: override ?? join(configDirectory, "config.yaml"),
            configFileFromEnvironment: override != nil,
            configDirectory: configDirectory,
            userThemesDirectory: join(configDirectory, "themes"),
            defaultSecretsFile: join(configDirectory, "secrets.env"),
            stateDirectory: stateDirectory,
            logDirectory: join(stateDirectory, "logs"),
            bundledThemesDirectory: bundledThemesDirectory
        )
    }

    /// The secrets env file for these settings: `env_file` when set (`~` expanded, relative paths
    /// taken from the config file's folder), else the default.
    public func secretsFile(for settings: Settings, home: String = NSHomeDirectory()) -> String {
        let configured = settings.envFile.trimmingCharacters(in: .whitespaces)
        guard !configured.isEmpty else { return defaultSecretsFile }
        let expanded = Self.expandTilde(configured, home: home)
        if expanded.hasPrefix("/") { return expanded }
        return Self.join((configFile as NSString).deletingLastPathComponent, expanded)
    }

    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value
    }

    static func expandTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return join(home, String(path.dropFirst(2))) }
        return path
    }

    private static func join(_ base: String, _ component: String) -> String {
        (base as NSString).appendingPathComponent(component)
    }
}
