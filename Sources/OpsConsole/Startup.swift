import Foundation
import OpsAdapters
import OpsCore

/// What the console and the subcommands know before anything runs: paths, settings, theme and
/// the Containerfile's ENV defaults, with every problem found on the way.
public struct Startup: Sendable {
    public let paths: AppPaths
    /// The settings in effect: those read at start, then each clean reload of config.yaml.
    public let settingsStore: SettingsStore
    public var settings: Settings { settingsStore.current }
    public let themeLoader: ThemeLoader
    public let theme: Theme
    public let containerfilePath: String?
    public let containerfileVariables: [ContainerfileEnv.Variable]
    public let problems: [String]

    public init(
        paths: AppPaths, settingsStore: SettingsStore, themeLoader: ThemeLoader, theme: Theme,
        containerfilePath: String?, containerfileVariables: [ContainerfileEnv.Variable], problems: [String]
    ) {
        self.paths = paths
        self.settingsStore = settingsStore
        self.themeLoader = themeLoader
        self.theme = theme
        self.containerfilePath = containerfilePath
        self.containerfileVariables = containerfileVariables
        self.problems = problems
    }

    public static func load(themeOverride: String? = nil) -> Startup {
        let paths = AppPaths.current()
        let (settings, configDiagnostics) = SettingsLoader.load(
            from: paths.configFile, knownKeyActions: Set(Command.allCases.map(\.rawValue))
        )
        let themeLoader = ThemeLoader(paths: paths)
        let (theme, themeDiagnostics) = themeLoader.load(named: themeOverride ?? settings.theme)
        var problems = (configDiagnostics + themeDiagnostics).map(\.description)
        let containerfilePath = Self.containerfilePath(for: settings)
        var variables: [ContainerfileEnv.Variable] = []
        if let containerfilePath {
            do {
                variables = ContainerfileEnv.parse(try String(contentsOfFile: containerfilePath, encoding: .utf8))
            } catch {
                problems.append("\(containerfilePath): cannot read: \(error.localizedDescription)")
            }
        } else if !settings.buildContext.isEmpty {
            problems.append("build_context \(settings.buildContext): no \(settings.containerfile) there")
        }
        return Startup(
            paths: paths, settingsStore: SettingsStore(settings), themeLoader: themeLoader, theme: theme,
            containerfilePath: containerfilePath, containerfileVariables: variables, problems: problems
        )
    }

    /// The configured build context's Containerfile, or the current directory's when none is set.
    public static func containerfilePath(for settings: Settings) -> String? {
        let context = settings.buildContext.isEmpty
            ? FileManager.default.currentDirectoryPath
            : (settings.buildContext as NSString).expandingTildeInPath
        let path = (context as NSString).appendingPathComponent(settings.containerfile)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The path as an operator would type it: relative to the current directory when inside it.
    public static func displayPath(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        return path.hasPrefix(current + "/") ? "./" + path.dropFirst(current.count + 1) : path
    }

    public func initialState(glyphs: GlyphMode, width: Int, height: Int) -> AppState {
        var state = AppState(
            settings: settings, theme: theme, themeNames: themeLoader.availableThemeNames(), glyphs: glyphs
        )
        state.width = width
        state.height = height
        state.containerfilePath = containerfilePath.map(Self.displayPath)
        state.environment = EnvironmentRows.make(containerfile: containerfileVariables, settings: settings)
        state.messages.append(contentsOf: problems, level: .warning)
        state.secretsFile = paths.secretsFile(for: settings)
        state.podmanEndpoint = PodmanEndpoint(connection: settings.podmanConnection, environment: ProcessInfo.processInfo.environment)
        var status = stat()
        state.hasSecretsFile = lstat(state.secretsFile, &status) == 0
        if !state.hasSecretsFile && !settings.readonly { state.overlay = .firstRun }
        return state
    }
}

/// The console's settings, shared by the run loop and the effect runners: replaced as a whole
/// when config.yaml is reloaded, read by each runner as it starts an operation.
public final class SettingsStore: @unchecked Sendable {
    private let lock = NSLock()
    private var settings: Settings

    public init(_ settings: Settings) {
        self.settings = settings
    }

    public var current: Settings {
        lock.lock()
        defer { lock.unlock() }
        return settings
    }

    public func replace(with settings: Settings) {
        lock.lock()
        self.settings = settings
        lock.unlock()
    }
}
