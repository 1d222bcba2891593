import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

@Suite struct MainViewGoldenTests {
    static let sizes = [(80, 24), (120, 40), (40, 12)]
    static let modes: [(GlyphMode, String)] = [(.unicode, "utf8"), (.ascii, "ascii")]

    @Test(arguments: [0, 1, 2])
    func mainScreen(size: Int) {
        let (width, height) = Self.sizes[size]
        for (mode, label) in Self.modes {
            let grid = MainView.render(Fixtures.state(width: width, height: height, glyphs: mode))
            GoldenFile.check(grid, named: "main-\(width)x\(height)-\(label)")
        }
    }

    @Test(arguments: [0, 1, 2])
    func helpOverlay(size: Int) {
        let (width, height) = Self.sizes[size]
        for (mode, label) in Self.modes {
            var state = Fixtures.state(width: width, height: height, glyphs: mode)
            state = update(state, .key(.character("?"))).0
            GoldenFile.check(MainView.render(state), named: "help-\(width)x\(height)-\(label)")
        }
    }

    @Test func messagesOverlayScrollsBackAndSaysWhatIsNewer() {
        var state = Fixtures.state(width: 60, height: 16, glyphs: .unicode)
        let levels: [MessageLevel] = [.info, .success, .warning, .failure]
        for index in 1...30 {
            let time = Date(timeIntervalSince1970: 1_795_684_000 + Double(index))   // 09:06:41Z on
            state.messages.append(Message("message \(index): backup 20261127T0200\(index)Z-1a2b done", level: levels[index % 4], time: time))
        }
        state = update(state, .key(.character("m"))).0
        let newest = MainView.render(state).text
        #expect(newest.contains("message 30:") && !newest.contains("message 20:"))
        #expect(!newest.contains("newer below"))
        for _ in 0..<10 { state = update(state, .key(.character("k"))).0 }
        GoldenFile.check(MainView.render(state), named: "messages-scrolled-60x16-utf8")
        state = update(state, .key(.character("g"))).0
        let oldest = MainView.render(state).text
        #expect(oldest.contains("message 1:") && oldest.contains("newer below"))
    }

    @Test func messagesShowFromTheOldestWhenScrolledToTheTop() {
        // Ten rows: scrolled back 29 of 30 one-line messages still fills them, from the first.
        #expect(MessagesOverlay.visibleEnd(lineCounts: Array(repeating: 1, count: 30), scrollBack: 29, height: 10) == 10)
        #expect(MessagesOverlay.visibleEnd(lineCounts: Array(repeating: 1, count: 30), scrollBack: 5, height: 10) == 25)
        #expect(MessagesOverlay.visibleEnd(lineCounts: [3, 3, 3], scrollBack: 0, height: 10) == 3)
        #expect(MessagesOverlay.visibleEnd(lineCounts: [4, 4, 4, 4], scrollBack: 3, height: 6) == 2)
    }

    @Test func asciiModeDrawsOnlyAscii() {
        for (width, height) in Self.sizes {
            var state = Fixtures.state(width: width, height: height, glyphs: .ascii)
            for key: Key in [.character("?"), .escape, .character(":"), .escape, .character("m")] {
                state = update(state, .key(key)).0
                let text = MainView.render(state).text
                #expect(text.allSatisfy { $0.isASCII }, "non-ASCII at \(width)x\(height) after \(key)")
            }
        }
    }

    @Test func tooSmallTerminalShowsTheMinimum() {
        let text = MainView.render(Fixtures.state(width: 30, height: 10, glyphs: .unicode)).text
        #expect(text.contains("terminal too small"))
        #expect(text.contains("(need 40×12)"))
        #expect(MainView.render(Fixtures.state(width: 39, height: 30, glyphs: .ascii)).text.contains("(need 40x12)"))
    }

    @Test func noSecretValueInAnyRender() {
        for (width, height) in Self.sizes {
            for (mode, _) in Self.modes {
                var state = Fixtures.state(width: width, height: height, glyphs: mode)
                state = update(state, .key(.character("2"))).0
                for _ in 0..<20 {
                    state = update(state, .key(.character("j"))).0
                    #expect(!MainView.render(state).text.contains("do-not-show-this"))
                }
            }
        }
    }

    @Test func helpListsEveryCommand() {
        let state = Fixtures.state(width: 120, height: 40, glyphs: .unicode)
        let lines = HelpOverlay.lines(for: state)
        #expect(lines.count == Command.allCases.count)
        // Scrolling the overlay brings every command on screen.
        var scrolled = update(state, .key(.character("?"))).0
        var seen = ""
        for _ in 0..<Command.allCases.count {
            seen += MainView.render(scrolled).text
            scrolled = update(scrolled, .key(.character("j"))).0
        }
        for command in Command.allCases { #expect(seen.contains(command.title), "\(command) missing") }
    }

    @Test func focusedPanelIsVisibleWithoutColour() {
        let state = Fixtures.state(width: 80, height: 24, glyphs: .ascii)
        let focusedOnHealth = MainView.render(state).text
        let focusedOnBuild = MainView.render(update(state, .key(.character("4"))).0).text
        #expect(focusedOnHealth.split(separator: "\n")[1].hasPrefix("#= 1 Health"))
        #expect(focusedOnBuild.split(separator: "\n")[1].hasPrefix("+- 1 Health"))
    }

    @Test func narrowTerminalShowsTabsAndTheFocusedPanel() {
        let state = update(Fixtures.state(width: 50, height: 15, glyphs: .unicode), .key(.character("2"))).0
        let lines = MainView.render(state).text.split(separator: "\n")
        #expect(lines[1].contains("1 Health  2 Env  3 Backups  4 Build"))
        #expect(lines[2].contains("2 Environment"))
    }
}
