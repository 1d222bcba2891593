import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// `e` and `E` against a real pod under tmux: the console hands the terminal to a shell in
    /// the OpenCode container and to redis-cli in FalkorDB, the test types into each and reads
    /// the reply, and after `exit` the console is back, redrawn and answering keys. The sidecar
    /// password reaches redis-cli through REDISCLI_AUTH from the env file.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(5)))
    struct ShellConsoleEndToEndTests {
        @Test func aShellAndRedisCliRunInThePodAndTheConsoleComesBack() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "shell", port: 14520, run)
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            #expect(up.succeeded, "up failed: \(up.stderrText)")
            // A password the FalkorDB stand-in does not know yet: redis-cli sets it below.
            let secrets = workspace.directory + "/config/opencode-ops/secrets.env"
            try "OPS_TEST_SECRET=s3cret\nFALKORDB_PASSWORD=pw-\(UUID().uuidString.prefix(6))\n"
                .writeSecrets(to: secrets)
            let password = try String(contentsOfFile: secrets, encoding: .utf8)
                .split(separator: "\n").first { $0.hasPrefix("FALKORDB_PASSWORD=") }!.dropFirst("FALKORDB_PASSWORD=".count)

            try await TmuxSession.with(width: 80, height: 24, command: try workspace.consoleCommand()) { tmux in
                try await tmux.waitFor("pod \(workspace.pod) ● running", timeout: 20)

                try await tmux.send("e")
                try await waitForPrompt(tmux, "/ #")
                try await tmux.send("echo reply-$((6 * 7)) from $(hostname)", "Enter")
                try await tmux.waitFor("reply-42 from", timeout: 20)
                try await tmux.send("exit", "Enter")
                try await backInTheConsole(tmux, expecting: "shell in \(workspace.opencodeContainer) ended (exit 0)")

                // Nothing is selected in Health at start, so E asks which database.
                try await tmux.send("E")
                try await tmux.waitFor("redis-cli in which database?")
                try await tmux.send("f")
                try await waitForPrompt(tmux, "127.0.0.1:6379>")
                try await tmux.send("CONFIG SET requirepass \(password)", "Enter")
                try await tmux.waitFor("OK", timeout: 20)
                try await tmux.send("quit", "Enter")
                try await backInTheConsole(tmux, expecting: "redis-cli in \(workspace.pod)-falkordb ended (exit 0)")

                // Now the server wants the password: PONG proves redis-cli had it.
                try await tmux.send("E")
                try await tmux.waitFor("redis-cli in which database?")
                try await tmux.send("f")
                try await waitForPrompt(tmux, "127.0.0.1:6379>")
                try await tmux.send("PING", "Enter")
                let pong = try await tmux.waitUntil("PONG or NOAUTH", timeout: 20) { $0.contains("PONG") || $0.contains("NOAUTH") }
                #expect(pong.contains("PONG"), "redis-cli was not given the password:\n\(pong)")
                try await tmux.send("quit", "Enter")
                try await backInTheConsole(tmux, expecting: "redis-cli in \(workspace.pod)-falkordb ended (exit 0)")

                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }

            // The same from the command line: `opencode-ops shell valkey` on a terminal.
            let cli = try await TmuxSession.start(
                width: 80, height: 24,
                command: try workspace.consoleCommand().replacingOccurrences(of: "; echo EXIT", with: " shell valkey; echo EXIT")
            )
            do {
                try await waitForPrompt(cli, "127.0.0.1:6380>")
                try await cli.send("PING", "Enter")
                try await cli.waitFor("PONG", timeout: 20)
                try await cli.send("quit", "Enter")
                try await cli.waitFor("EXIT=0")
            } catch {
                await cli.stop()
                throw error
            }
            await cli.stop()

            let audit = try await workspace.opsCommand(["audit"])
            #expect(audit.stdoutText.contains("exec shell"), "no audit entry for the shell:\n\(audit.stdoutText)")
            #expect(audit.stdoutText.contains("exec redis-cli"), "no audit entry for redis-cli:\n\(audit.stdoutText)")
            #expect(!audit.stdoutText.contains(String(password)), "the password reached the audit log")
        }

        /// An empty prompt line: a new one (earlier sessions stay on the terminal's main screen,
        /// each prompt followed by what was typed); capture-pane drops its trailing space.
        private func waitForPrompt(_ tmux: TmuxSession, _ prompt: String) async throws {
            try await tmux.waitUntil("an empty \(prompt) prompt", timeout: 30) { screen in
                !screen.contains("1 Health") && screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == prompt }
            }
        }

        /// The frame is drawn again (panels and footer), keys work (`m` opens the messages),
        /// and the run's outcome is among them.
        private func backInTheConsole(_ tmux: TmuxSession, expecting message: String) async throws {
            try await tmux.waitUntil("the console redrawn", timeout: 20) { $0.contains("1 Health") && $0.contains("? help") }
            #expect(try await tmux.paneFlag("alternate_on") == "1", "the console is not back in its alternate screen")
            try await tmux.openMessages(showing: message)
            try await tmux.send("Escape")
            try await tmux.waitUntil("messages closed", timeout: 10) { !$0.contains(message) }
        }
    }
}

/// `--readonly` refuses both keys with a message, and nothing leaves the console.
@Suite(.enabled(if: TestTools.shouldRun("tmux")), .timeLimit(.minutes(2)))
struct ShellReadonlyEndToEndTests {
    @Test func readonlyRefusesShellAndRedisCli() async throws {
        try await Harness.requireTmux()
        let directory = try Harness.workspace()
        let tmux = try await TmuxSession.start(
            width: 100, height: 24, command: try Harness.command(in: directory, arguments: "--readonly")
        )
        do {
            try await tmux.waitFor("1 Health")
            try await tmux.send("e")
            try await tmux.send("E")
            let screen = try await tmux.openMessages(showing: "read-only: redis-cli")
            #expect(screen.contains("read-only: shell in the opencode container (exec) refused"))
            try await tmux.send("Escape", "q")
            try await tmux.waitFor("EXIT=0")
        } catch {
            await tmux.stop()
            throw error
        }
        await tmux.stop()
    }
}
