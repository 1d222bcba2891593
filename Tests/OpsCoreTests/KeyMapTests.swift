import Testing
@testable import OpsCore

@Suite struct KeyMapTests {
    @Test func everyDefaultKeyMapsBackToItsCommand() {
        let map = KeyMap()
        let paletteOnly: Set<Command> = [.build, .rollback, .authorizeB2, .restartContainer]
        for command in Command.allCases {
            let keys = map.keys(for: command)
            #expect(keys.isEmpty == paletteOnly.contains(command), "\(command) keys: \(keys)")
            for key in keys { #expect(map.command(for: key) == command) }
        }
    }

    @Test func keySpecsParse() {
        #expect(Key(spec: "ctrl-r") == .control("r"))
        #expect(Key(spec: "shift-tab") == .backTab)
        #expect(Key(spec: "F5") == .function(5))
        #expect(Key(spec: "pgdn") == .pageDown)
        #expect(Key(spec: "Q") == .character("Q"))
        #expect(Key(spec: "banana") == nil)
    }

    @Test func overrideReplacesDefaultsAndTakesTheKeyFromOthers() {
        let map = KeyMap(overrides: ["cycle-theme": "T", "help": "h,f1"])
        #expect(map.keys(for: .cycleTheme) == [.character("T")])
        #expect(map.command(for: .character("t")) == nil)
        #expect(map.command(for: .function(1)) == .help)
        #expect(map.command(for: .character("h")) == .help)
    }
}
