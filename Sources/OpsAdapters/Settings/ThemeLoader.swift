import Foundation
import OpsCore

/// Finds and loads themes by name. A theme is `NAME.yaml` in the user's themes folder or, when
/// the user has none of that name, in the bundled themes folder: a user file overrides a bundled
/// one of the same name.
public struct ThemeLoader: Sendable {
    public static let defaultThemeName = "default"
    public static let fileExtension = "yaml"

    /// Folders searched in order; nil entries (say, no bundled folder found) are skipped.
    public let userThemesDirectory: String?
    public let bundledThemesDirectory: String?

    public init(userThemesDirectory: String?, bundledThemesDirectory: String?) {
        self.userThemesDirectory = userThemesDirectory
        self.bundledThemesDirectory = bundledThemesDirectory
    }

    public init(paths: AppPaths) {
        self.init(userThemesDirectory: paths.userThemesDirectory, bundledThemesDirectory: paths.bundledThemesDirectory)
    }

    private var searchDirectories: [String] {
        [userThemesDirectory, bundledThemesDirectory].compactMap { $0 }
    }

    /// The file that `name` resolves to, user folder first.
    public func file(named name: String) -> String? {
        guard SettingsLoader.isThemeName(name) else { return nil }
        return searchDirectories
            .map { ($0 as NSString).appendingPathComponent("\(name).\(Self.fileExtension)") }
            .first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Every theme name found in either folder, sorted, for cycling with `t` and for `info`.
    public func availableThemeNames() -> [String] {
        var names = Set<String>()
        for directory in searchDirectories {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for entry in entries where entry.hasSuffix(".\(Self.fileExtension)") {
                let name = String(entry.dropLast(Self.fileExtension.count + 1))
                if SettingsLoader.isThemeName(name) { names.insert(name) }
            }
        }
        return names.sorted()
    }

    /// Loads the theme called `name`.
    ///
    /// When it is missing or malformed, the diagnostics say why and the `default` theme comes back
    /// instead; when `default` itself fails, the built-in `Theme.fallback` does. The returned
    /// theme's `name` says which one the caller got.
    public func load(named name: String) -> (Theme, [ConfigDiagnostic]) {
        let (theme, diagnostics) = loadExactly(named: name)
        if let theme { return (theme, diagnostics) }
        guard name != Self.defaultThemeName else { return (Theme.fallback, diagnostics) }
        let (fallback, fallbackDiagnostics) = loadExactly(named: Self.defaultThemeName)
        return (fallback ?? Theme.fallback, diagnostics + fallbackDiagnostics)
    }

    /// The named theme, or nil with the reasons; no fallback.
    public func loadExactly(named name: String) -> (Theme?, [ConfigDiagnostic]) {
        guard let path = file(named: name) else {
            let looked = searchDirectories.isEmpty ? "no themes folder found" : "looked in \(searchDirectories.joined(separator: " and "))"
            let where_ = userThemesDirectory.map { ($0 as NSString).appendingPathComponent("\(name).\(Self.fileExtension)") }
                ?? "\(name).\(Self.fileExtension)"
            return (nil, [ConfigDiagnostic(file: where_, key: "theme", message: "no theme named \"\(name)\" (\(looked))")])
        }
        var source = YAMLSource(file: path)
        let root = source.readRoot()
        let theme = ThemeParser.read(root, name: name, source: &source)
        return source.diagnostics.isEmpty ? (theme, []) : (nil, source.diagnostics)
    }
}
