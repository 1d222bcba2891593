import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops info`: where the console looks for its files, what it found there, and every
/// problem in the config and theme, so an operator can check a setup without opening the console.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show version, config, theme, state and log paths, and config problems."
    )

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(name: .long, help: "Check this theme instead of the one in the config.")
    var theme: String?

    func run() throws {
        let report = InfoReport.gather(themeOverride: theme)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            emit(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            emit(report.text)
        }
    }
}

/// Everything `info` shows; its fields are the JSON output's keys.
struct InfoReport: Codable {
    var version: String
    var configFile: String
    var configFileExists: Bool
    var configFileFromEnvironment: Bool
    var userThemesDirectory: String
    var userThemesDirectoryExists: Bool
    /// Nil when no bundled themes folder was found and only the built-in theme exists.
    var bundledThemesDirectory: String?
    var stateDirectory: String
    var logDirectory: String
    var secretsFile: String
    var secretsFileExists: Bool
    /// A secrets file open to others or owned by someone else: `up` refuses it.
    var secretsFileProblem: String?
    var theme: String
    /// The theme the console would actually use, after any fallback.
    var themeInUse: String
    var themeFile: String?
    var availableThemes: [String]
    var diagnostics: [ConfigDiagnostic]

    static func gather(themeOverride: String?) -> InfoReport {
        let paths = AppPaths.current()
        let actions = Set(Command.allCases.map(\.rawValue))
        let (settings, configDiagnostics) = SettingsLoader.load(from: paths.configFile, knownKeyActions: actions)
        let loader = ThemeLoader(paths: paths)
        let themeName = themeOverride ?? settings.theme
        let (theme, themeDiagnostics) = loader.load(named: themeName)
        let files = FileManager.default
        let secrets = paths.secretsFile(for: settings)
        return InfoReport(
            version: OpencodeOps.configuration.version,
            configFile: paths.configFile,
            configFileExists: files.fileExists(atPath: paths.configFile),
            configFileFromEnvironment: paths.configFileFromEnvironment,
            userThemesDirectory: paths.userThemesDirectory,
            userThemesDirectoryExists: files.fileExists(atPath: paths.userThemesDirectory),
            bundledThemesDirectory: paths.bundledThemesDirectory,
            stateDirectory: paths.stateDirectory,
            logDirectory: paths.logDirectory,
            secretsFile: secrets,
            secretsFileExists: files.fileExists(atPath: secrets),
            secretsFileProblem: SecretsFileCheck(path: secrets, isDefault: true).accessProblem(),
            theme: themeName,
            themeInUse: theme.name,
            themeFile: loader.file(named: theme.name),
            availableThemes: loader.availableThemeNames(),
            diagnostics: configDiagnostics + themeDiagnostics
        )
    }

    var text: String {
        func row(_ label: String, _ value: String) -> String {
            label.padding(toLength: 16, withPad: " ", startingAt: 0) + value
        }
        var configNote = configFileExists ? "" : " (not found; using defaults)"
        if configFileFromEnvironment { configNote += " (from \(AppPaths.configOverrideVariable))" }
        var themeNote = themeFile.map { " (\($0))" } ?? " (built in)"
        if themeInUse != theme { themeNote += "; \"\(theme)\" could not be used" }
        var lines = [
            "opencode-ops \(version)",
            row("config", configFile + configNote),
            row("user themes", userThemesDirectory + (userThemesDirectoryExists ? "" : " (not found)")),
            row("bundled themes", bundledThemesDirectory ?? "none found; only the built-in default theme is available"),
            row("state", stateDirectory),
            row("logs", logDirectory),
            row("secrets file", secretsFile + (secretsFileExists ? "" : " (not found)")),
            row("theme", themeInUse + themeNote),
            row("themes", availableThemes.isEmpty ? "none" : availableThemes.joined(separator: ", ")),
        ]
        let problems = diagnostics.map { "\($0)" } + (secretsFileProblem.map { ["secrets file: \($0)"] } ?? [])
        if problems.isEmpty {
            lines.append(row("problems", "none"))
        } else {
            lines.append(row("problems", "\(problems.count)"))
            lines += problems.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
