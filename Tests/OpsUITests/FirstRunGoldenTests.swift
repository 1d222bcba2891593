import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// The first-run screen, and the header while OpenCode runs without a server password.
@Suite struct FirstRunGoldenTests {
    @Test func firstRunScreen() {
        for (mode, label) in [(GlyphMode.unicode, "utf8"), (.ascii, "ascii")] {
            var state = Fixtures.state(width: 80, height: 24, glyphs: mode)
            state.secretsFile = "/home/op/.config/opencode-ops/secrets.env"
            state.hasSecretsFile = false
            state.overlay = .firstRun
            let grid = MainView.render(state)
            GoldenFile.check(grid, named: "first-run-80x24-\(label)")
            #expect(grid.text.contains("i write it now"))
        }
    }

    @Test func headerShowsTheExposureInTheFailureStyleWhileItLasts() throws {
        let state = BuildPanelGoldenTests.podUp(Fixtures.state(width: 120, height: 40, glyphs: .unicode))
        let grid = MainView.render(state)
        let header = try #require(grid.text.split(separator: "\n").first)
        #expect(header.hasPrefix(" ✖ OPEN: no server password"), "\(header)")
        #expect(grid[2, 0].role == .fail)
        // A password in the secrets file ends it.
        var protected = state
        protected.environment = EnvironmentRows.make(
            rows: EnvironmentModel.rows(EnvLayers(imageDefaults: [:], envFile: ["OPENCODE_SERVER_PASSWORD": "pw"], config: [:])),
            origin: .containerfile, settings: state.settings
        )
        #expect(!MainView.render(protected).text.contains("OPEN: no server password"))
        // No pod, no exposure.
        #expect(!MainView.render(Fixtures.state(width: 120, height: 40, glyphs: .unicode)).text.contains("OPEN:"))
    }
}
