import Foundation
import Testing
@testable import OpsCore

/// The palette ranks actions above navigation and finds commands by their synonyms; restarting
/// one container is picked, confirmed, guarded and refused under read-only.
@Suite struct PaletteAndRestartTests {
    typealias Fixture = BuildReducerTests

    @Test func actionsComeBeforeNavigationThatMatchesAsWell() {
        #expect(PaletteState(query: "up").matches.first == .podUp)
        let build = PaletteState(query: "build").matches
        let action = try? #require(build.firstIndex(of: .build))
        let navigation = try? #require(build.firstIndex(of: .focusBuild))
        #expect(action.map { a in navigation.map { a < $0 } ?? false } == true, "\(build)")
        // Navigation still comes first when it is the clearly better match.
        #expect(PaletteState(query: "go to health").matches.first == .focusHealth)
        #expect(PaletteState(query: "move up").matches.first == .moveUp)
    }

    @Test func synonymsFindTheirCommands() {
        #expect(PaletteState(query: "restart").matches.first == .restartContainer)
        #expect(PaletteState(query: "shell").matches.first == .shell)
        #expect(Set(PaletteState(query: "exec").matches.prefix(2)) == [.shell, .redisCli])
        #expect(PaletteState(query: "stats").matches.contains(.focusHealth))
        #expect(PaletteState(query: "inspect").matches.first == .open)
        let logs = PaletteState(query: "logs").matches
        #expect(logs.contains(.focusBuild) && logs.contains(.followLogs))
        #expect(PaletteState(query: "").matches.count == Command.allCases.count - 1, "an empty query lists every command")
    }

    func up() -> AppState {
        update(Fixture.state(), .pod(.watch(Fixture.snapshot()))).0
    }

    func send(_ keys: [Key], to state: AppState) -> (AppState, [Effect]) {
        keys.reduce((state, [Effect]())) { result, key in
            let (next, effects) = update(result.0, .key(key))
            return (next, result.1 + effects)
        }
    }

    func palette(_ query: String) -> [Key] {
        [.character(":")] + query.map { .character($0) } + [.enter]
    }

    @Test func paletteRestartAsksWhichThenConfirmsThenRestartsThatContainer() {
        let (asked, none) = send(palette("restart"), to: up())
        #expect(none.isEmpty)
        guard case .confirm(let which)? = asked.overlay else {
            Issue.record("no question: \(String(describing: asked.overlay))")
            return
        }
        #expect(which.operation == .chooseRestart)
        #expect(which.detail == .restartChoice)
        // `y` is no answer to "which"; `f` is.
        let (stillAsking, yEffects) = send([.character("y")], to: asked)
        #expect(yEffects.isEmpty && stillAsking.overlay == asked.overlay)
        let (confirming, pickEffects) = send([.character("f")], to: asked)
        #expect(pickEffects.isEmpty)
        guard case .confirm(let sure)? = confirming.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(sure.operation == .restartContainer(.falkordb) && sure.title == "Restart FalkorDB?")
        let (_, cancelled) = send([.character("n")], to: confirming)
        #expect(cancelled.isEmpty)
        let (restarting, effects) = send([.character("y")], to: confirming)
        #expect(effects == [.pod(.restart(container: "opencode-falkordb"))])
        let done = update(restarting, .pod(.restartFinished(container: "opencode-falkordb", problem: nil))).0
        #expect(done.messages.last == "opencode-falkordb restarted")
        let failed = update(restarting, .pod(.restartFinished(container: "opencode-falkordb", problem: "no such container"))).0
        #expect(failed.messages.last == "restart of opencode-falkordb failed: no such container")
    }

    @Test func restartIsRefusedReadOnlyAndWithoutAPod() {
        var readonly = up()
        readonly.settings.readonly = true
        let (refused, effects) = send(palette("restart"), to: readonly)
        #expect(effects.isEmpty && refused.overlay == nil)
        #expect(refused.messages.last?.hasPrefix("read-only: restart one container") == true)
        let (noPod, none) = send(palette("restart"), to: Fixture.state())
        #expect(none.isEmpty && noPod.overlay == nil)
        #expect(noPod.messages.last?.contains("not up: nothing to restart") == true)
    }

    @Test func restartingWhileABackupRunsAsksToWait() {
        var state = up()
        state.backups.active = BackupRunRecord(id: "20261127T020000Z-1a2b", startedAt: "2026-11-27T02:00:00.00Z", phase: "upload", result: .running)
        let (guarded, effects) = send(palette("restart") + [.character("o"), .character("y")], to: state)
        #expect(effects.isEmpty)
        guard case .confirm(let wait)? = guarded.overlay else {
            Issue.record("no guard dialog")
            return
        }
        #expect(wait.operation == .waitThen(.restartContainer(.opencode)))
        #expect(wait.title == "Wait, then restart OpenCode?")
    }
}
