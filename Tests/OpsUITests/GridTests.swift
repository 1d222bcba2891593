import Testing
@testable import OpsCore
@testable import OpsUI

@Suite struct GridTests {
    @Test func putClipsToTheGridAndWidth() {
        var grid = Grid(width: 5, height: 2)
        #expect(grid.put("abcdefg", x: 2, y: 0) == 3)
        #expect(grid.put("xyz", x: 0, y: 1, maxWidth: 2) == 2)
        #expect(grid.text == "  abc\nxy")
        #expect(grid.put("nope", x: 0, y: 5) == 0)
    }

    @Test func fitAddsAnEllipsisOnlyWhenCut() {
        #expect(Text.fit("abcdef", width: 4, glyphs: .unicode) == "abc…")
        #expect(Text.fit("abcdef", width: 4, glyphs: .ascii) == "abc~")
        #expect(Text.fit("abc", width: 4, glyphs: .unicode) == "abc")
        #expect(Text.wrap("one two three four", width: 9) == ["one two", "three", "four"])
        #expect(Text.wrap("a /very/long/path:12 b", width: 6) == ["a", "/very/", "long/p", "ath:12", "b"])
    }

    @Test func restyleKeepsCharacters() {
        var grid = Grid(width: 3, height: 1)
        grid.put("abc", x: 0, y: 0, role: .text)
        grid.restyle(Rect(x: 1, y: 0, width: 1, height: 1), role: .selection)
        #expect(grid[1, 0] == Cell("b", role: .selection))
        #expect(grid[0, 0].role == .text)
    }
}

@Suite struct GridControlCharacterTests {
    /// A terminal draws ESC as `^[` (two columns) while the grid counts one: every control must
    /// become exactly one visible cell, and what follows stays in its column.
    @Test func eachControlTakesOneVisibleCell() {
        var grid = Grid(width: 12, height: 1)
        #expect(grid.put("a\u{1B}[2J\u{9B}\u{7F}\u{00}b", x: 0, y: 0) == 9)
        #expect(grid.text == "a␛[2J\u{FFFD}␡␀b")
        #expect(grid[8, 0].character == "b")
        #expect(!grid.text.unicodeScalars.contains { TerminalSafeText.isControl($0) })
    }

    @Test func asciiModeShowsControlsAsQuestionMarks() {
        #expect(Text.displayable("x\u{1B}]0;t\u{07}y\u{9B}\tz", glyphs: .ascii) == "x?]0;t?y?\tz")
        #expect(Text.displayable("x\u{1B}y", glyphs: .unicode) == "x\u{1B}y")
    }

    @Test func sanitizerKeepsTabsAndNewlinesOnly() {
        let text = "a\tb\nc\u{1B}[31md\u{07}\u{85}e\r\nf"
        #expect(TerminalSafeText.sanitized(text, asciiOnly: false) == "a\tb\nc␛[31md␇\u{FFFD}e\nf")
        #expect(TerminalSafeText.sanitized(text, asciiOnly: true) == "a\tb\nc?[31md??e\nf")
        #expect(TerminalSafeText.sanitized("plain", asciiOnly: false) == "plain")
    }
}
