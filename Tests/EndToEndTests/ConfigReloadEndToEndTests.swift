import Foundation
import Testing

/// Config edits apply while the console runs, keys only on the console's side: a new key binding
/// works at once, a changed port points to apply, a broken edit names its line and keeps the
/// running settings, and a theme file's edit is read again.
@Suite(.enabled(if: TestTools.shouldRun("tmux"))) struct ConfigReloadEndToEndTests {
    @Test func editsApplyLiveAndABrokenEditKeepsTheRunningSettings() async throws {
        try await Harness.requireTmux()
        let directory = try Harness.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config/opencode-ops/config.yaml").path
        try "pod: reload-test\n".write(toFile: config, atomically: true, encoding: .utf8)
        try await TmuxSession.with(width: 120, height: 36, command: try Harness.command(in: directory)) { tmux in
            try await tmux.waitFor("1 Health", timeout: 120)
            // As an editor saves: a new file renamed over the old one.
            try "pod: reload-test\nport: 5123\nkeys:\n  quit: Q\n".write(toFile: config, atomically: true, encoding: .utf8)
            try await tmux.openMessages(showing: "port changed: press a to apply", timeout: 120)
            let messages = try await tmux.screen()
            #expect(messages.contains("keys now in effect"))
            try await tmux.send("Escape")

            try "pod: reload-test\nport: many\nkeys:\n  quit: q\n".write(toFile: config, atomically: true, encoding: .utf8)
            let broken = try await tmux.openMessages(showing: "not applied", timeout: 120)
            #expect(broken.contains("config.yaml:2"), "the problem's line is not named")
            try await tmux.send("Escape")

            // The binding from the clean edit still holds: q does nothing, Q quits.
            try await tmux.send("q")
            try await Task.sleep(for: .milliseconds(300))
            #expect(!(try await tmux.screen()).contains("EXIT="), "q quit: the broken edit was applied")
            try await tmux.send("Q")
            try await tmux.waitFor("EXIT=0", timeout: 120)
        }
    }
}
