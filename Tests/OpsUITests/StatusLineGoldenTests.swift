import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// The footer's answer to a key, the read-only header and the texts that would invite a refused
/// action, at 80×24 and 40×12.
@Suite struct StatusLineGoldenTests {
    static let start = Date(timeIntervalSince1970: 1_795_684_000)   // 09:06:40Z
    static let target = BackupTarget(container: "opencode-opencode", falkordb: "opencode-falkordb", valkey: "opencode-valkey")

    static func readonly(width: Int, height: Int, glyphs: GlyphMode) -> AppState {
        var state = Fixtures.state(width: width, height: height, glyphs: glyphs)
        state.settings.readonly = true
        state = update(state, .tick(start)).0
        for action: BackupsAction in [.podChanged(target, reason: ""), .runsLoaded([])] {
            state = update(state, .backups(action)).0
        }
        return state
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func readOnlyRefusalAnswersInTheFooter(size: (Int, Int)) {
        for (mode, label) in MainViewGoldenTests.modes {
            var state = Self.readonly(width: size.0, height: size.1, glyphs: mode)
            state = update(state, .key(.character("3"))).0
            state = update(state, .key(.character("B"))).0
            let grid = MainView.render(state)
            let text = grid.text
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first?.hasPrefix(" READ-ONLY") == true)
            // Narrow, the help hint gives its columns to the message.
            let start = size.0 < 60 ? 1 : 9
            #expect(lines.last?.dropFirst(start).hasPrefix("09:06:40 ") == true)
            #expect(!text.contains("Press B"))
            // The refusal is drawn in the warning style, its time muted.
            #expect(grid[start, size.1 - 1].role == .muted)
            #expect(grid[start + 9, size.1 - 1].role == .warn && grid[start + 11, size.1 - 1].role == .warn)
            GoldenFile.check(grid, named: "status-readonly-refusal-\(size.0)x\(size.1)-\(label)")
        }
    }

    @Test func successAndFailureHaveTheirOwnStyles() {
        var state = Fixtures.state(width: 80, height: 24, glyphs: .unicode)
        state = update(state, .tick(Self.start)).0
        state = update(state, .message("kube: wrote stack.yaml to /state/kube", level: .success)).0
        var grid = MainView.render(state)
        #expect(grid[20, 23].role == .ok)
        #expect(grid.text.split(separator: "\n").last?.hasSuffix("1 unread (m)") == true)
        #expect(grid[79 - "1 unread (m)".count, 23].role == .muted, "a success is not amber")
        GoldenFile.check(grid, named: "status-success-80x24-utf8")
        state = update(state, .message("kube export failed: disk full", level: .failure)).0
        grid = MainView.render(state)
        #expect(grid[20, 23].role == .fail)
        #expect(grid[79 - "▲ 2 unread (m)".count, 23].role == .warn)
        // Once the footer's time is up the key hints come back; the counter stays until read.
        state = update(state, .tick(Self.start.addingTimeInterval(AppState.statusSeconds))).0
        let hints = MainView.render(state).text.split(separator: "\n").last ?? ""
        #expect(hints.hasPrefix(" ? help") && hints.hasSuffix("▲ 2 unread (m)"))
        state = update(update(state, .key(.character("m"))).0, .key(.escape)).0
        #expect(!MainView.render(state).text.contains("unread"))
    }

    @Test func messagesOverlayShowsEachTime() {
        var state = Fixtures.state(width: 80, height: 24, glyphs: .unicode)
        state = update(state, .tick(Self.start)).0
        state = update(state, .message("backup 20261127T020000Z-1a2b verified", level: .success)).0
        state = update(state, .tick(Self.start.addingTimeInterval(75))).0
        state = update(state, .message("read-only: restore refused", level: .warning)).0
        state = update(state, .key(.character("m"))).0
        let grid = MainView.render(state)
        let text = grid.text
        #expect(text.contains("09:06:40 ● backup 20261127T020000Z-1a2b verified"))
        #expect(text.contains("09:07:55 ▲ read-only: restore refused"))
        GoldenFile.check(grid, named: "messages-times-80x24-utf8")
    }
}
