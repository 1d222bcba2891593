import Testing
@testable import OpsCore

@Suite struct PageSearchUpdateTests {
    static let lines = ["start", "error: disk full", "ok", "ERROR: retry", "ok", "done"]

    func state(scroll: Int = 0) -> AppState {
        var state = AppState(settings: Settings())
        state.overlay = .page(TextPage(title: "opencode log", lines: Self.lines, scroll: scroll))
        return state
    }

    func type(_ keys: [Key], into state: AppState) -> AppState {
        keys.reduce(state) { update($0, .key($1)).0 }
    }

    func page(_ state: AppState) -> TextPage? {
        if case .page(let page)? = state.overlay { return page }
        return nil
    }

    @Test func slashSearchesForwardAndNWrapsAround() {
        var state = type([.character("/")] + "error".map { .character($0) } + [.enter], into: state())
        #expect(page(state)?.scroll == 1)
        #expect(page(state)?.search?.matchLine == 1)
        state = type([.character("n")], into: state)
        #expect(page(state)?.scroll == 3, "case is ignored")
        state = type([.character("n")], into: state)
        #expect(page(state)?.scroll == 1, "n wraps to the first match")
        state = type([.character("N")], into: state)
        #expect(page(state)?.scroll == 3, "N goes the other way")
    }

    @Test func questionMarkSearchesBackwardFromThePlaceShown() {
        let state = type([.character("?")] + "ok".map { .character($0) } + [.enter], into: state(scroll: 5))
        #expect(page(state)?.scroll == 4)
        #expect(page(state)?.search?.isBackward == true)
        #expect(page(type([.character("n")], into: state))?.scroll == 2)
    }

    @Test func typedKeysGoIntoTheQueryNotToCommands() {
        let state = type([.character("/"), .character("q"), .character("m")], into: state())
        #expect(state.isRunning, "q while typing a search quit the console")
        #expect(page(state)?.search?.query == "qm")
    }

    @Test func noMatchKeepsThePlaceAndEscDropsTheSearch() {
        var state = type([.character("/"), .character("z"), .enter], into: state(scroll: 2))
        #expect(page(state)?.scroll == 2)
        #expect(page(state)?.search?.matchLine == nil)
        #expect(page(state)?.search?.isEditing == false)
        state = type([.character("/"), .escape], into: state)
        #expect(page(state) != nil, "Esc while typing leaves the page open")
        #expect(page(state)?.search == nil)
        state = type([.escape], into: state)
        #expect(state.overlay == nil)
    }
}
