import Foundation
import OpsAdapters
import Testing

/// The real binary in a real terminal (tmux): panels, keys, resizes, and the terminal restored
/// on every way out.
@Suite(.enabled(if: TestTools.shouldRun("tmux"))) struct ConsoleEndToEndTests {
    @Test func panelsHelpResizeAndQuit() async throws {
        try await Harness.withConsole { tmux in
            // "not up" only once podman has answered: before that the panels say checking.
            let screen = try await tmux.waitFor("pod opencode ? not up")
            for text in ["1 Health", "2 Environment", "3 Backups", "4 Build & Logs", "defaults from ./Containerfile", "FALKORDB_HOST", "? help"] {
                #expect(screen.contains(text), "missing \(text)")
            }
            #expect(try await tmux.paneFlag("alternate_on") == "1")

            try await tmux.send("?")
            try await tmux.waitFor("Help (Esc closes)")
            try await tmux.send("Escape")
            try await tmux.waitFor("4 Build & Logs")
            #expect(!(try await tmux.screen()).contains("Help (Esc closes)"))

            try await tmux.resize(width: 50, height: 15)
            try await tmux.waitFor("1 Health  2 Env  3 Backups  4 Build")
            try await tmux.resize(width: 30, height: 10)
            try await tmux.waitFor("terminal too small")
            try await tmux.resize(width: 80, height: 24)
            try await tmux.waitFor("4 Build & Logs")

            try await tmux.send("q")
            let after = try await tmux.waitFor("EXIT=0")
            #expect(!after.contains("1 Health"), "console still on screen after quit")
            #expect(try await tmux.paneFlag("alternate_on") == "0")
            #expect(try await tmux.paneFlag("cursor_flag") == "1")
        }
    }

    @Test func ctrlCRestoresTheTerminal() async throws {
        try await Harness.withConsole { tmux in
            try await tmux.send("C-c")
            try await tmux.waitFor("EXIT=130")
            #expect(try await tmux.paneFlag("alternate_on") == "0")
            #expect(try await tmux.paneFlag("cursor_flag") == "1")
        }
    }

    @Test(arguments: [("TERM", 143), ("HUP", 129)])
    func signalRestoresTheTerminal(signal: String, code: Int) async throws {
        try await Harness.withConsole { tmux in
            let shell = try await tmux.paneFlag("pane_pid")
            let kill = try await ProcessRunner().run("pkill", ["-\(signal)", "-P", shell, "-x", "opencode-ops"])
            #expect(kill.succeeded, "no console process to signal")
            try await tmux.waitFor("EXIT=\(code)")
            #expect(try await tmux.paneFlag("alternate_on") == "0")
        }
    }

    @Test func asciiFallbackUnderThePosixLocale() async throws {
        try await Harness.withConsole(locale: "C") { tmux in
            let screen = try await tmux.screen()
            #expect(screen.contains("#= 1 Health"))
            #expect(!screen.contains("┏"))
            try await tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }
    }

    @Test func themesSwitchLive() async throws {
        try await Harness.withConsole { tmux in
            try await tmux.send("?")
            try await tmux.waitFor("theme: default")
            try await tmux.send("Escape")
            try await tmux.waitUntil("help to close") { !$0.contains("Help (Esc closes)") }
            try await tmux.send("t")
            try await tmux.send("?")
            // The next theme in name order after `default`.
            try await tmux.waitFor("theme: high-contrast")
            try await tmux.send("Escape")
            try await tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }
    }

    /// Under --readonly every key that would change something answers in the footer with its
    /// time, and the header says why; the answer goes again by itself.
    @Test func readOnlyKeysAnswerInTheStatusLine() async throws {
        try await Harness.withConsole(width: 120, height: 36, arguments: "--readonly") { tmux in
            let first = try await tmux.waitFor("READ-ONLY")
            #expect(!first.contains("Press B"))
            for (key, answer) in [("B", "run a backup now refused"), ("D", "take the pod down (volumes kept) refused"),
                                  ("K", "export kubernetes manifests refused"), ("r", "probes now")] {
                let screen = try await tmux.press(key, until: answer)
                let footer = screen.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? ""
                #expect(footer.contains(answer), "\(key) answered outside the footer: \(footer)")
                #expect(footer.range(of: #"\d\d:\d\d:\d\d"#, options: .regularExpression) != nil, "no time in \(footer)")
            }
            // The footer's answer goes by itself (a tick, no key), and the hints come back.
            try await tmux.waitUntil("the status line to clear", timeout: 60) { $0.contains("q quit") && !$0.contains("probes now") }
            try await tmux.send("m")
            let list = try await tmux.waitFor("Messages (j/k scroll")
            #expect(list.contains("run a backup now refused") && list.contains("export kubernetes manifests refused"))
            try await tmux.send("Escape")
            try await tmux.waitUntil("the unread count to reset") { !$0.contains("unread (m)") }
            try await tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }
    }

    @Test func badConfigAndThemeAreReportedAndTheConsoleStillStarts() async throws {
        let config = """
        theme: broken
        port: lots
        keys:
          quit: x
        """
        let theme = """
        styles:
          ok: {fg: chartreuse}
        """
        try await Harness.withConsole(files: [
            "config/opencode-ops/config.yaml": config,
            "config/opencode-ops/themes/broken.yaml": theme,
        ]) { tmux in
            let screen = try await tmux.waitFor("unread (m)")
            #expect(screen.contains("4 Build & Logs"))
            try await tmux.send("m")
            let screen2 = try await tmux.waitFor("Messages (j/k scroll, Esc closes)")
            // Long paths wrap inside the dialog: read its lines back as one text.
            let messages = screen2.split(separator: "\n").map { line in
                line.split(separator: "┃", omittingEmptySubsequences: false).dropFirst(2).first
                    .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            }.joined()
            #expect(messages.contains("config.yaml:2"), "config problem without its line")
            #expect(messages.contains("port"))
            #expect(messages.contains("broken.yaml:2"), "theme problem without its line")
            #expect(messages.contains("chartreuse"))
            try await tmux.send("Escape")
            try await tmux.send("?")
            try await tmux.waitFor("theme: default")
            try await tmux.send("Escape")
            // The key override from the same file took effect: `x` quits, `q` no longer does.
            try await tmux.send("q")
            try await Task.sleep(for: .milliseconds(200))
            #expect((try await tmux.screen()).contains("1 Health"))
            try await tmux.send("x")
            try await tmux.waitFor("EXIT=0")
        }
    }
}
