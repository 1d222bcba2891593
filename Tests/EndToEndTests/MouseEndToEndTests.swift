import Foundation
import Testing

/// With `mouse: true`, the wheel scrolls the panel under the pointer. tmux writes the terminal's
/// mouse report (xterm's X10 form, which tmux-256color's terminfo names) into the console's
/// input, as a terminal does when the wheel turns.
@Suite(.enabled(if: TestTools.shouldRun("tmux")), .timeLimit(.minutes(2)))
struct MouseEndToEndTests {
    @Test func theWheelScrollsThePanelUnderThePointer() async throws {
        let config = ["config/opencode-ops/config.yaml": "mouse: true\n"]
        try await Harness.withConsole(width: 80, height: 24, files: config) { tmux in
            let screen = try await tmux.waitFor("2 Environment")
            // A cell inside the Environment panel: a few rows under its title.
            let lines = screen.components(separatedBy: "\n")
            guard let row = lines.firstIndex(where: { $0.contains("2 Environment") }),
                  let column = lines[row].range(of: "2 Environment").map({ lines[row].distance(from: lines[row].startIndex, to: $0.lowerBound) })
            else { throw E2EError("no Environment panel on screen:\n\(screen)") }

            let first = try await openedTitle(tmux, focusing: "2")
            // Health has the focus; the wheel turns over Environment, which scrolls anyway.
            try await tmux.send("1")
            try await wheel(tmux, down: true, x: column + 2, y: row + 4)
            let scrolled = try await openedTitle(tmux, focusing: "2")
            #expect(scrolled != first, "the wheel did not move the Environment selection")
            try await wheel(tmux, down: false, x: column + 2, y: row + 4)
            #expect(try await openedTitle(tmux, focusing: "2") == first, "the wheel up did not come back")

            try await tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }
    }

    /// Focuses a panel, opens its selected row (Enter) and returns the details page's title line.
    private func openedTitle(_ tmux: TmuxSession, focusing key: String) async throws -> String {
        try await tmux.send(key, "Enter")
        let page = try await tmux.waitFor("value:")
        let lines = page.components(separatedBy: "\n")
        let index = lines.firstIndex { $0.contains("value:") }!
        try await tmux.send("Escape")
        try await tmux.waitUntil("the page closed") { !$0.contains("value:") }
        return lines[max(0, index - 1)]
    }

    /// One notch of the wheel at cell (x, y), as an X10 mouse report: ESC [ M, then 32 plus the
    /// button (64 up, 65 down), 33 plus the column and 33 plus the row.
    private func wheel(_ tmux: TmuxSession, down: Bool, x: Int, y: Int) async throws {
        let bytes = [0x1b, 0x5b, 0x4d, 32 + (down ? 65 : 64), 33 + x, 33 + y]
        // One write, so the console reads the report whole (never a lone Esc), before any later key.
        try await tmux.tmux(["send-keys", "-t", tmux.session, "-H"] + bytes.map { String($0, radix: 16) })
    }
}
