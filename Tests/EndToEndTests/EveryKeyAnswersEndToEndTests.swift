import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanEndToEndTests {
    /// Every action key answers on screen, with a real pod and in read-only mode: each key that
    /// would change something is refused in the footer, naming the action, with its time; the
    /// keys that only look or ask answer there too.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(6)))
    struct EveryKeyAnswersEndToEndTests {
        @Test func eachActionKeyAnswersInTheStatusLineUnderReadOnly() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "keys", port: 14542, run)
        }

        /// The footer: the last line with text on it.
        private func footer(_ screen: String) -> String {
            String(screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "")
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            try #require(up.succeeded, "up failed: \(up.stderrText)")
            let refused = Command.allCases.filter { $0.changesSomething && !$0.defaultKeys.isEmpty }
            try #require(refused.count >= 10, "fewer changing keys than expected: \(refused)")
            let looking: [(String, String)] = [
                ("r", "probes now"), ("h", "running podman's healthcheck now"),
                ("T", "log timestamps shown"), ("t", "theme "),
            ]
            try await TmuxSession.with(width: 160, height: 40, command: try workspace.consoleCommand(arguments: "--readonly")) { tmux in
                try await tmux.waitFor("pod \(workspace.pod) ● running")
                try await tmux.waitFor("READ-ONLY")
                // The stand-in image has no backup scripts: let the Backups panel's failures (which
                // also go to the footer) arrive first, so they do not take the footer from an answer.
                try await tmux.waitFor("remote listing failed")
                for command in refused {
                    guard case .character(let character) = command.defaultKeys[0] else { continue }
                    let answer = "read-only: \(command.title.lowercased()) refused"
                    let screen = try await tmux.press(String(character), until: answer)
                    let line = footer(screen)
                    #expect(line.contains(answer), "\(character) answered outside the footer: \(line)")
                    #expect(line.range(of: #"\d\d:\d\d:\d\d"#, options: .regularExpression) != nil, "no time in \(line)")
                }
                for (key, answer) in looking {
                    try await tmux.send(key)
                    let screen = try await tmux.waitUntil("\(key) to answer \"\(answer)\" in the footer") { footer($0).contains(answer) }
                    #expect(!footer(screen).contains("refused"), "\(key) was refused: \(footer(screen))")
                }
                // Nothing changed: the pod runs as before.
                #expect(try await workspace.inspect(["pod", "inspect", "--format", "{{.State}}", workspace.pod]) == "Running")
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }
        }
    }
}
