import Foundation
import OpsAdapters
import OpsCore
import Testing

/// Files too big to be a config, floods of unknown keys, and the keys `up` reads for exposure
/// and log size.
@Suite(.tags(.settings)) struct SettingsBadInputTests {
    @Test func aConfigOverOneMebibyteIsRefusedUnreadAndDefaultsApply() throws {
        let folder = try ScratchFolder()
        // 400,000 keys: parsing this would take minutes; it must not be parsed at all.
        let text = (0..<400_000).map { "key\($0): value\($0)" }.joined(separator: "\n")
        let path = try folder.write("config.yaml", "port: 5000\n" + text)
        let (settings, diagnostics) = SettingsLoader.load(from: path, knownKeyActions: nil)
        #expect(settings == Settings())
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.file == path)
        #expect(diagnostics.first?.message.contains("over the 1 MiB limit") == true)
    }

    @Test func aThemeOverOneMebibyteFallsBackToTheDefaultTheme() throws {
        let folder = try ScratchFolder()
        try folder.write("themes/huge.yaml", String(repeating: "# padding line\n", count: 80_000))
        let loader = ThemeLoader(userThemesDirectory: folder.join("themes"), bundledThemesDirectory: bundledThemesFolder)
        let (theme, diagnostics) = loader.load(named: "huge")
        #expect(theme.name == "default")
        #expect(diagnostics.contains { $0.file == folder.join("themes/huge.yaml") && $0.message.contains("1 MiB limit") })
    }

    @Test func thousandsOfUnknownKeysGiveACountAndTheFirstFew() {
        let text = "port: 5001\n" + (0..<3000).map { "zz\($0): 1" }.joined(separator: "\n")
        let (settings, diagnostics) = SettingsLoader.parse(text, file: "config.yaml", knownKeyActions: nil)
        #expect(settings.port == 5001)
        let named = diagnostics.filter { $0.message.hasPrefix("unknown key") }
        #expect(named.map(\.key) == ["zz0", "zz1", "zz2", "zz3", "zz4"])
        #expect(diagnostics.count == 6)
        #expect(diagnostics.last?.message.hasPrefix("3000 unknown keys in all") == true)
    }

    @Test func exposureAndLogSizeKeys() {
        let (settings, diagnostics) = SettingsLoader.parse(
            "allow_unauthenticated: true\nlog_max_size: 20m\n", file: "config.yaml", knownKeyActions: nil
        )
        #expect(diagnostics.isEmpty)
        #expect(settings.allowUnauthenticated)
        #expect(settings.logMaxSize == "20m")
        for bad in ["lots", "-5m", "0", "5t"] {
            let (kept, problems) = SettingsLoader.parse("log_max_size: \"\(bad)\"\n", file: "config.yaml", knownKeyActions: nil)
            #expect(kept.logMaxSize == Settings().logMaxSize)
            #expect(problems.first?.key == "log_max_size", "\(bad)")
        }
        #expect(Settings().falkordbImage.hasSuffix(":v4.14.8"))
        #expect(!Settings().valkeyImage.hasSuffix(":latest"))
    }
}
