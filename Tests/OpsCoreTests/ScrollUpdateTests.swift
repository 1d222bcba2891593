import Testing
@testable import OpsCore

@Suite struct ScrollUpdateTests {
    func state() -> AppState {
        var state = AppState(themeNames: ["default"])
        state.environment = (0..<20).map { EnvironmentEntry(name: "VAR_\($0)", value: "v", source: .containerfile) }
        return state
    }

    @Test func theWheelScrollsThePanelUnderThePointerAndLeavesFocus() {
        let (down, effects) = update(state(), .scroll(.environment, lines: 3))
        #expect(effects.isEmpty)
        #expect(down.position(of: .environment).selection == 3)
        #expect(down.focus == .health)
        let up = update(down, .scroll(.environment, lines: -3)).0
        #expect(up.position(of: .environment).selection == 0)
    }

    @Test func theWheelStopsAtBothEnds() {
        let top = update(state(), .scroll(.environment, lines: -3)).0
        #expect(top.position(of: .environment).selection == 0)
        var bottom = state()
        for _ in 0..<10 { bottom = update(bottom, .scroll(.environment, lines: 3)).0 }
        #expect(bottom.position(of: .environment).selection == 19)
    }

    @Test func overNoPanelNothingMoves() {
        let next = update(state(), .scroll(nil, lines: 3)).0
        #expect(next.position(of: .environment).selection == 0)
        #expect(next.position(of: .health).selection == 0)
    }

    @Test func anOpenPageScrollsInsteadOfThePanelBehindIt() {
        var start = state()
        start.overlay = .page(TextPage(title: "t", lines: (0..<30).map(String.init)))
        let next = update(start, .scroll(.environment, lines: 3)).0
        #expect(next.overlay == .page(TextPage(title: "t", lines: (0..<30).map(String.init), scroll: 3)))
        #expect(next.position(of: .environment).selection == 0)
    }

    @Test func aQuestionIgnoresTheWheel() {
        var start = state()
        start.overlay = .confirm(Confirmation(title: "q", detail: .podDown, operation: .podDown))
        let next = update(start, .scroll(.environment, lines: 3)).0
        #expect(next.overlay == start.overlay)
        #expect(next.position(of: .environment).selection == 0)
    }
}
