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
