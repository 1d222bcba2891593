import Testing
@testable import OpsCore

@Suite struct UpdateTests {
    func state(environment count: Int = 5) -> AppState {
        var state = AppState(themeNames: ["default", "dark256", "light"])
        state.environment = (0..<count).map { EnvironmentEntry(name: "VAR_\($0)", value: "v\($0)", source: .containerfile) }
        return state
    }

    func send(_ keys: [Key], to state: AppState) -> (AppState, [Effect]) {
        keys.reduce((state, [Effect]())) { result, key in
            let (next, effects) = update(result.0, .key(key))
            return (next, result.1 + effects)
        }
    }

    @Test func quitStopsTheLoopAndAsksToQuit() {
        let (next, effects) = send([.character("q")], to: state())
        #expect(!next.isRunning)
        #expect(effects == [.quit])
    }

    @Test func tabAndShiftTabCycleThroughAllPanels() {
        var current = state()
        var seen: [Panel] = []
        for _ in 0..<4 {
            current = update(current, .key(.tab)).0
            seen.append(current.focus)
        }
        #expect(seen == [.environment, .backups, .build, .health])
        #expect(update(current, .key(.backTab)).0.focus == .build)
    }

    @Test func numberKeysFocusPanels() {
        #expect(send([.character("3")], to: state()).0.focus == .backups)
        #expect(send([.character("4")], to: state()).0.focus == .build)
        #expect(send([.character("2"), .character("1")], to: state()).0.focus == .health)
    }

    @Test func movementStaysInsideTheList() {
        let start = send([.character("2")], to: state(environment: 5)).0
        #expect(send([.character("j"), .character("j")], to: start).0.position(of: .environment).selection == 2)
        #expect(send([.character("k")], to: start).0.position(of: .environment).selection == 0)
        #expect(send([.character("G")], to: start).0.position(of: .environment).selection == 4)
        #expect(send([.character("G"), .character("g")], to: start).0.position(of: .environment).selection == 0)
        #expect(send([.pageDown, .pageDown, .pageDown], to: start).0.position(of: .environment).selection == 4)
    }

    @Test func helpOpensAndEscapeCloses() {
        let opened = send([.character("?")], to: state()).0
        #expect(opened.overlay == .help(scroll: 0))
        #expect(send([.escape], to: opened).0.overlay == nil)
        #expect(send([.character("?")], to: opened).0.overlay == nil)
        // Panel keys do nothing behind the help overlay.
        #expect(send([.character("3")], to: opened).0.focus == .health)
    }

    @Test func messagesScrollBackByMessageAndCloseWithMOrEscape() {
        var start = state()
        start.messages = MessageLog((1...30).map { "message \($0)" })
        let opened = send([.character("m")], to: start).0
        #expect(opened.overlay == .messages(scrollBack: 0))
        #expect(send([.character("k"), .character("k")], to: opened).0.overlay == .messages(scrollBack: 2))
        #expect(send([.character("k"), .character("j"), .character("j")], to: opened).0.overlay == .messages(scrollBack: 0))
        #expect(send([.character("g")], to: opened).0.overlay == .messages(scrollBack: 29))
        #expect(send([.character("g"), .character("G")], to: opened).0.overlay == .messages(scrollBack: 0))
        // Panel keys wait behind it.
        #expect(send([.character("3")], to: opened).0.focus == start.focus)
        #expect(send([.character("m")], to: opened).0.overlay == nil)
        #expect(send([.escape], to: opened).0.overlay == nil)
    }

    @Test func filterNarrowsTheEnvironmentAndEscapeClearsIt() {
        let typed = send([.character("2"), .character("/"), .character("_"), .character("3")], to: state(environment: 12))
        #expect(typed.0.isEditingFilter)
        #expect(typed.0.visibleEnvironment.map(\.name) == ["VAR_3"])
        let kept = send([.enter], to: typed.0).0
        #expect(!kept.isEditingFilter)
        #expect(kept.position(of: .environment).filter == "_3")
        let cleared = send([.escape], to: kept).0
        #expect(cleared.position(of: .environment).filter == "")
        #expect(cleared.visibleEnvironment.count == 12)
    }

    @Test func filteringAPanelWithoutRowsSaysSo() {
        let (next, _) = send([.character("/")], to: state())
        #expect(!next.isEditingFilter)
        #expect(next.messages.last == "Health has nothing to filter")
    }

    @Test func paletteRunsTheHighlightedCommand() {
        let typed = send([.character(":")] + "backups".map(Key.character), to: state()).0
        guard case .palette(let palette) = typed.overlay else {
            Issue.record("palette did not open")
            return
        }
        #expect(palette.matches.first == .focusBackups)
        let ran = send([.enter], to: typed).0
        #expect(ran.overlay == nil)
        #expect(ran.focus == .backups)
    }

    @Test func paletteEscapeClosesWithoutRunning() {
        let closed = send([.character(":"), .character("q"), .escape], to: state()).0
        #expect(closed.overlay == nil)
        #expect(closed.isRunning)
    }

    @Test func themeKeyAsksForTheNextTheme() {
        let (_, effects) = send([.character("t")], to: state())
        #expect(effects == [.loadTheme(name: "dark256")])
        var last = state()
        last.theme.name = "light"
        #expect(send([.character("t")], to: last).1 == [.loadTheme(name: "default")])
    }

    @Test func loadedThemeReplacesTheActiveOneAndKeepsProblems() {
        let dark = Theme(name: "dark256", styles: [:])
        let next = update(state(), .themeLoaded(dark, problems: ["dark256.yaml:3: bad"])).0
        #expect(next.theme.name == "dark256")
        #expect(Array(next.messages) == ["dark256.yaml:3: bad", "theme dark256"])
        #expect(next.messages.entries.map(\.level) == [.warning, .warning])
    }

    @Test func resizeAndTerminate() {
        let resized = update(state(), .resize(width: 30, height: 10)).0
        #expect(resized.width == 30 && resized.height == 10)
        let (ended, effects) = update(resized, .terminate)
        #expect(!ended.isRunning)
        #expect(effects == [.quit])
    }

    @Test func overriddenKeysRebind() {
        var settings = Settings()
        settings.keys = ["quit": "x", "help": "q"]
        let start = AppState(settings: settings)
        #expect(send([.character("q")], to: start).0.overlay == .help(scroll: 0))
        #expect(!send([.character("x")], to: start).0.isRunning)
    }
}
