import Foundation
import OpsAdapters
import OpsCore
import Testing

@Suite("ThemeLoader", .tags(.settings))
struct ThemeLoaderTests {
    static let bundledNames = ["dark256", "default", "high-contrast", "light", "monochrome"]

    @Test(arguments: bundledNames)
    func bundledThemeLoadsCleanAndCoversEveryRole(name: String) {
        let loader = ThemeLoader(userThemesDirectory: nil, bundledThemesDirectory: bundledThemesFolder)
        let (theme, diagnostics) = loader.loadExactly(named: name)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(theme?.name == name)
        let missing = StyleRole.allCases.filter { theme?.styles[$0] == nil }
        #expect(missing.isEmpty, "\(name) leaves out \(missing.map(\.rawValue))")
    }

    @Test func bundledThemesAreExactlyTheFive() {
        let loader = ThemeLoader(userThemesDirectory: nil, bundledThemesDirectory: bundledThemesFolder)
        #expect(loader.availableThemeNames() == Self.bundledNames)
    }

    @Test func monochromeUsesNoColour() throws {
        let loader = ThemeLoader(userThemesDirectory: nil, bundledThemesDirectory: bundledThemesFolder)
        let theme = try #require(loader.loadExactly(named: "monochrome").0)
        for (role, style) in theme.styles {
            #expect(style.foreground == .terminalDefault && style.background == .terminalDefault, "\(role)")
        }
        // Statuses still differ from plain text by attributes.
        #expect(theme.styles[.fail]?.attributes != theme.styles[.text]?.attributes)
        #expect(theme.styles[.warn]?.attributes != theme.styles[.text]?.attributes)
    }

    @Test func defaultThemeUsesOnlyTheSixteenNamedColours() throws {
        let loader = ThemeLoader(userThemesDirectory: nil, bundledThemesDirectory: bundledThemesFolder)
        let theme = try #require(loader.loadExactly(named: "default").0)
        for (role, style) in theme.styles {
            for color in [style.foreground, style.background] {
                if case .indexed = color { Issue.record("\(role) uses a palette index") }
            }
        }
    }

    @Test func defaultThemeFileMatchesTheBuiltInFallback() throws {
        // The built-in copy stands in when no themes folder is found; it should look the same.
        let loader = ThemeLoader(userThemesDirectory: nil, bundledThemesDirectory: bundledThemesFolder)
        let theme = try #require(loader.loadExactly(named: "default").0)
        for role in StyleRole.allCases where role != .muted {
            #expect(theme.style(for: role) == Theme.fallback.style(for: role), "\(role)")
        }
    }

    @Test func userThemeOverridesBundledOneByName() throws {
        let folder = try ScratchFolder()
        let userDir = folder.join("themes")
        let userFile = try folder.write("themes/dark256.yaml", "styles:\n  ok: { fg: magenta }\n")
        try folder.write("themes/mine.yaml", "styles:\n  ok: { fg: 99 }\n")
        let loader = ThemeLoader(userThemesDirectory: userDir, bundledThemesDirectory: bundledThemesFolder)
        #expect(loader.file(named: "dark256") == userFile)
        let (theme, diagnostics) = loader.load(named: "dark256")
        #expect(diagnostics.isEmpty)
        #expect(theme.name == "dark256")
        #expect(theme.styles[.ok]?.foreground == .named(.magenta, bright: false))
        #expect(theme.styles.count == 1)
        // Themes only the bundle has still come from there.
        #expect(loader.file(named: "light") == (bundledThemesFolder as NSString).appendingPathComponent("light.yaml"))
        #expect(loader.availableThemeNames() == ["dark256", "default", "high-contrast", "light", "mine", "monochrome"])
    }

    @Test func malformedThemeFallsBackToDefaultAndNamesFileLineAndKey() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("themes/broken.yaml", "styles:\n  ok: { fg: green }\n  fail: { fg: reddish }\n")
        let loader = ThemeLoader(userThemesDirectory: folder.join("themes"), bundledThemesDirectory: bundledThemesFolder)
        let (theme, diagnostics) = loader.load(named: "broken")
        #expect(theme.name == "default")
        #expect(theme == loader.loadExactly(named: "default").0)
        expectSingleDiagnostic(diagnostics, file: path, line: 3, key: "styles.fail.fg", containing: "unknown colour \"reddish\"")
    }

    @Test func missingThemeFallsBackToDefault() {
        let loader = ThemeLoader(userThemesDirectory: "/nonexistent/themes", bundledThemesDirectory: bundledThemesFolder)
        let (theme, diagnostics) = loader.load(named: "solarized")
        #expect(theme.name == "default")
        expectSingleDiagnostic(diagnostics, file: "/nonexistent/themes/solarized.yaml", line: nil, key: "theme", containing: "no theme named \"solarized\"")
    }

    @Test func brokenDefaultFallsBackToTheBuiltInTheme() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("themes/default.yaml", "styles: [\n")
        let loader = ThemeLoader(userThemesDirectory: folder.join("themes"), bundledThemesDirectory: bundledThemesFolder)
        let (theme, diagnostics) = loader.load(named: "default")
        #expect(theme == Theme.fallback)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.file == path)
        #expect(diagnostics.first?.line != nil)
    }

    @Test func noThemesFolderAtAllGivesTheBuiltInTheme() {
        let loader = ThemeLoader(userThemesDirectory: nil, bundledThemesDirectory: nil)
        let (theme, diagnostics) = loader.load(named: "default")
        #expect(theme == Theme.fallback)
        #expect(diagnostics.first?.message.contains("no themes folder found") == true)
        #expect(loader.availableThemeNames().isEmpty)
    }

    @Test func pathLikeNamesAreNeverLookedUp() throws {
        let folder = try ScratchFolder()
        try folder.write("secret.yaml", "styles: {}\n")
        let loader = ThemeLoader(userThemesDirectory: folder.join("themes"), bundledThemesDirectory: nil)
        #expect(loader.file(named: "../secret") == nil)
    }
}
