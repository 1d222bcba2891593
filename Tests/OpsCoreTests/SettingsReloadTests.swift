import Testing
@testable import OpsCore

@Suite struct SettingsReloadTests {
    func state(_ adjust: (inout Settings) -> Void = { _ in }) -> AppState {
        var settings = Settings()
        adjust(&settings)
        return AppState(settings: settings)
    }

    @Test func eachChangeIsSortedByWhenItTakesEffect() {
        var new = Settings()
        new.port = 5000
        new.keys = ["quit": "ctrl-q"]
        new.buildArgs = ["A": "1"]
        new.pod = "other"
        let change = SettingsChange(from: Settings(), to: new)
        #expect(change.live == ["keys"])
        #expect(change.needsApply == ["port"])
        #expect(change.needsBuild == ["build_args"])
        #expect(change.needsRestart == ["pod"])
        #expect(SettingsChange(from: Settings(), to: Settings()).isEmpty)
    }

    @Test func aCleanEditAppliesKeysAtOnceAndPointsToApplyForThePort() {
        var new = Settings()
        new.port = 5000
        new.keys = ["quit": "ctrl-q"]
        let (next, effects) = update(state(), .settingsReloaded(new, problems: []))
        #expect(effects.isEmpty)
        #expect(next.settings.port == 5000)
        #expect(next.keyMap.command(for: .control("q")) == .quit)
        #expect(next.messages.entries.contains { $0.text.contains("port changed: press a to apply") && $0.level == .warning })
        #expect(next.messages.entries.contains { $0.text.contains("keys now in effect") && $0.level == .success })
    }

    @Test func aBrokenEditKeepsEveryRunningSetting() {
        let running = state { $0.port = 4100 }
        var half = Settings()
        half.port = 9999
        let (next, _) = update(running, .settingsReloaded(half, problems: ["config.yaml:3: key \"image\": expected a string"]))
        #expect(next.settings.port == 4100)
        #expect(next.messages.entries.contains { $0.text == "config.yaml:3: key \"image\": expected a string" && $0.level == .failure })
        #expect(next.messages.last?.contains("running settings are kept") == true)
    }

    @Test func aNewThemeNameLoadsIt() {
        var new = Settings()
        new.theme = "solarized"
        let (_, effects) = update(state(), .settingsReloaded(new, problems: []))
        #expect(effects == [.loadTheme(name: "solarized")])
        #expect(update(state(), .themeFilesChanged).1 == [.reloadTheme(name: Theme.fallback.name)])
    }

    @Test func readOnlyCanBeTurnedOnButNotOffAndThePodStays() {
        let (stricter, _) = update(state(), .settingsReloaded({ var s = Settings(); s.readonly = true; return s }(), problems: []))
        #expect(stricter.settings.readonly)
        let (still, _) = update(state { $0.readonly = true }, .settingsReloaded(Settings(), problems: []))
        #expect(still.settings.readonly, "an edit turned read-only off")
        var moved = Settings()
        moved.pod = "elsewhere"
        let (kept, _) = update(state(), .settingsReloaded(moved, problems: []))
        #expect(kept.settings.pod == "opencode")
        #expect(kept.messages.last?.contains("takes effect in a new console") == true)
    }
}
