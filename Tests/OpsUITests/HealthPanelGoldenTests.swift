import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

@Suite struct HealthPanelGoldenTests {
    static let sizes = [(80, 24), (120, 40)]
    static let modes: [(GlyphMode, String)] = [(.unicode, "utf8"), (.ascii, "ascii")]

    @Test(arguments: [0, 1])
    func healthPanelWithEveryStatus(size: Int) {
        let (width, height) = Self.sizes[size]
        for (mode, label) in Self.modes {
            let grid = MainView.render(HealthFixtures.state(width: width, height: height, glyphs: mode))
            let text = grid.text
            GoldenFile.check(grid, named: "health-\(width)x\(height)-\(label)")
            for word in ["ok", "degraded", "failing", "unknown"] { #expect(text.contains(word), "\(word) missing") }
            #expect(text.contains(size == 0 ? "no conf" : "not configured") || text.contains("no conf"))
            if mode == .ascii { #expect(text.allSatisfy { $0.isASCII }) }
        }
    }

    @Test(arguments: [0, 1])
    func environmentWithSecretsPresentAndMissing(size: Int) {
        let (width, height) = Self.sizes[size]
        for (mode, label) in Self.modes {
            let state = HealthFixtures.state(width: width, height: height, glyphs: mode, focus: .environment)
            let grid = MainView.render(state)
            let text = grid.text
            GoldenFile.check(grid, named: "environment-\(width)x\(height)-\(label)")
            if mode == .ascii { #expect(text.allSatisfy { $0.isASCII }) }
        }
    }

    @Test func probeDetailsPage() {
        var state = HealthFixtures.state(width: 80, height: 24, glyphs: .unicode)
        state = update(state, .key(.character("j"))).0
        state = update(state, .key(.enter)).0
        let grid = MainView.render(state)
        let text = grid.text
        GoldenFile.check(grid, named: "health-details-80x24-utf8")
        #expect(text.contains("Healthcheck (podman-health)"))
        #expect(text.contains("ok -> failing"))
        #expect(text.contains("404 Not"))
    }

    @Test func sparklineScalesToTheLargestShownValue() {
        #expect(Sparkline.render([0, 2, 4, 8], width: 4, glyphs: .unicode) == "▁▃▅█")
        #expect(Sparkline.render([1, 8], width: 4, glyphs: .ascii) == "  .#")
        #expect(Sparkline.render([], width: 3, glyphs: .unicode) == "   ")
        #expect(Sparkline.render([0, 0], width: 2, glyphs: .unicode) == "▁▁")
        #expect(Sparkline.render(Array(repeating: 1, count: 30) + [2], width: 5, glyphs: .ascii) == "====#")
    }

    @Test func noSecretValueInAnyRender() {
        for (width, height) in Self.sizes + [(40, 12), (200, 60)] {
            for (mode, _) in Self.modes {
                for focus in Panel.allCases {
                    var state = HealthFixtures.state(width: width, height: height, glyphs: mode, focus: focus)
                    for key: Key in Array(repeating: .character("j"), count: 60) + [.enter] {
                        state = update(state, .key(key)).0
                        let text = MainView.render(state).text
                        for secret in HealthFixtures.secretValues { #expect(!text.contains(secret)) }
                    }
                }
            }
        }
    }
}
