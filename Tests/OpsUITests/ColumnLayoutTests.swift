import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// The one column-sizing rule every table uses, and the long-text pages.
@Suite struct ColumnLayoutTests {
    @Test func everythingFitsAndTheFillingColumnTakesTheRest() {
        let widths = ColumnLayout.widths([
            TableColumn(natural: 24), TableColumn(natural: 10, fills: true), TableColumn(natural: 13),
        ], width: 60)
        #expect(widths == [24, 60 - 24 - 13 - 2, 13])
    }

    @Test func withoutAFillingColumnSpareRoomStaysAtTheEnd() {
        #expect(ColumnLayout.widths([TableColumn(natural: 5), TableColumn(natural: 7)], width: 40) == [5, 7])
    }

    @Test func shortColumnsKeepTheirTextWhileLongOnesShareTheRest() {
        // 30 cells, 2 gaps: 28 for a 4-wide column and two long ones.
        let widths = ColumnLayout.widths([
            TableColumn(natural: 4), TableColumn(natural: 40), TableColumn(natural: 30),
        ], width: 30)
        #expect(widths == [4, 12, 12])
        #expect(widths.reduce(0, +) + 2 == 30)
    }

    @Test func theRemainderGoesToTheCutColumnsFromTheLeft() {
        let widths = ColumnLayout.widths([TableColumn(natural: 20), TableColumn(natural: 20)], width: 26)
        #expect(widths == [13, 12])
    }

    @Test func minimumsHoldEvenWhenACommonCutWouldGoBelow() {
        // A common cut would be 15 each: the first keeps its minimum, the second takes the rest.
        let widths = ColumnLayout.widths([
            TableColumn(natural: 24, minimum: 20), TableColumn(natural: 40, minimum: 6),
        ], width: 31)
        #expect(widths == [20, 10])
    }

    @Test func optionalColumnsShowByPriorityAndALowerOneTakesRoomAHigherOneCannotUse() {
        let columns = [
            TableColumn(natural: 20, minimum: 20),
            TableColumn(natural: 10, minimum: 6, priority: 0),    // a sparkline
            TableColumn(natural: 60, minimum: 12, fills: true, priority: 1),   // a reason
        ]
        // Room for both: the reason fills what the sparkline leaves.
        #expect(ColumnLayout.widths(columns, width: 100) == [20, 10, 68])
        // Room for the reason at its minimum but not both: the reason wins.
        #expect(ColumnLayout.widths(columns, width: 34) == [20, 0, 13])
        // No room for the reason: the sparkline still shows.
        #expect(ColumnLayout.widths(columns, width: 28) == [20, 7, 0])
        // No room for either.
        #expect(ColumnLayout.widths(columns, width: 22) == [20, 0, 0])
    }

    @Test func emptyColumnsTakeNoRoomAndNoGap() {
        #expect(ColumnLayout.widths([TableColumn(natural: 5), TableColumn(natural: 0), TableColumn(natural: 5)], width: 11) == [5, 0, 5])
    }

    @Test func drawRowPadsCutsAndSkipsDroppedColumns() {
        var grid = Grid(width: 20, height: 1)
        let starts = ColumnLayout.drawRow([("alpha", .text), ("hidden", .fail), ("a long value", .ok)], widths: [5, 0, 8],
                                          into: &grid, x: 0, y: 0, glyphs: .unicode)
        #expect(grid.text == "alpha a long …")
        #expect(starts == [0, nil, 6])
        #expect(grid[6, 0].role == .ok)
    }

    @Test func environmentNamesAndPathsAreWholeWhenThePanelHasRoom() {
        var state = Fixtures.state(width: 120, height: 36, glyphs: .unicode)
        state.settings.environment["OPENCODE_DATA_DIR"] = "/var/lib/opencode/data"
        state.environment = EnvironmentRows.make(containerfile: ContainerfileEnv.parse(Fixtures.containerfile), settings: state.settings)
        state = update(state, .key(.character("2"))).0
        let text = MainView.render(state).text
        #expect(text.contains("OPENCODE_SERVER_PASSWORD "))
        #expect(text.contains("/var/lib/opencode/data"))
    }

    @Test func wrapLineKeepsSpacingAndIndentsContinuations() {
        let lines = Text.wrapLine("error:       last check: wget: server returned error", width: 30, indent: 13)
        #expect(lines == ["error:       last check: ", "             wget: server ", "             returned error"])
        #expect(Text.wrapLine("short", width: 30, indent: 4) == ["short"])
        // No space to break at: the word is split, nothing is lost.
        #expect(Text.wrapLine(String(repeating: "x", count: 25), width: 10, indent: 2).joined().filter { $0 == "x" }.count == 25)
    }

    @Test func pagesWrapAndScrollSidewaysWithHAndL() {
        let long = "reason: " + String(repeating: "abcdefghij", count: 20)
        var state = Fixtures.state(width: 80, height: 24, glyphs: .unicode)
        state.overlay = .page(TextPage(title: "run log", lines: ["first", long, "last"]))
        let wrapped = MainView.render(state).text
        #expect(wrapped.contains("h/l sideways"))
        // Wrapped, every character of the long line is on screen.
        #expect(wrapped.filter { $0 == "j" }.count == 20)
        state = update(state, .key(.character("l"))).0
        guard case .page(let page)? = state.overlay else { Issue.record("page closed"); return }
        #expect(!page.wraps && page.column == 36)
        let shifted = MainView.render(state).text
        #expect(!shifted.contains("reason:"))
        #expect(shifted.contains("w wraps"))
        // `h` goes back to the start; `w` wraps again; `h` did not run the healthcheck.
        state = update(state, .key(.character("h"))).0
        #expect(MainView.render(state).text.contains("reason: abcdefghij"))
        let (wrappedAgain, effects) = update(state, .key(.character("w")))
        #expect(effects.isEmpty)
        guard case .page(let again)? = wrappedAgain.overlay else { Issue.record("page closed"); return }
        #expect(again.wraps && again.column == 0)
    }

    @Test func sidewaysScrollStopsAtTheWidestLine() {
        var page = TextPage(title: "t", lines: ["12345"])
        page.scrollSideways(by: 100)
        #expect(page.column == 4)
        page.scrollSideways(by: -100)
        #expect(page.column == 0)
    }

    @Test func aFollowedPageShowsItsLastLinesWhenWrapped() {
        let lines = (1...30).map { "line \($0) " + String(repeating: "x", count: 50) }
        let page = TextPage(title: "job", lines: lines, scroll: 25)
        let shown = PageOverlay.lines(page, width: 40, height: 10)
        #expect(shown.count == 10)
        #expect(shown.last?.contains("x") == true)
        #expect(shown.contains { $0.hasPrefix("line 30 ") })
    }
}
