import Foundation

/// Finds the themes shipped with the program.
///
/// Installed, they sit in `<prefix>/share/opencode-ops/themes` next to `<prefix>/bin`. Run from a
/// checkout (`.build/debug/opencode-ops`), they are the repository's `themes/` folder, found by
/// walking up from the executable's real path to the folder holding both `Package.swift` and
/// `themes/` (both, so that an unrelated `themes/` higher up is never picked).
public enum BundledThemesLocator {
    /// A folder counts as a themes folder when it holds the default theme.
    static let markerFile = "default.yaml"

    public static func locate(executable: String) -> String? {
        let real = (executable as NSString).resolvingSymlinksInPath
        var directory = (real as NSString).deletingLastPathComponent
        let installed = (((directory as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("share") as NSString)
            .appendingPathComponent("opencode-ops/themes")
        if isThemesFolder(installed) { return installed }
        while directory != "/" && !directory.isEmpty {
            let themes = (directory as NSString).appendingPathComponent("themes")
            let package = (directory as NSString).appendingPathComponent("Package.swift")
            if isThemesFolder(themes) && FileManager.default.fileExists(atPath: package) {
                return themes
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// The running binary's path (its real path on Linux, through /proc).
    public static func currentExecutable() -> String? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments.first
    }

    private static func isThemesFolder(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(markerFile))
    }
}
