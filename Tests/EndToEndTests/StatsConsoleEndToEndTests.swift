import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// The stats overlay by keys against a running pod: `s` shows CPU and memory for each
    /// container, fed by one `podman stats` child of the console, and closing it ends that child.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(5)))
    struct StatsConsoleEndToEndTests {
        @Test func sShowsEachContainersFiguresAndClosingStopsPodmanStats() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "stats", port: 14570, run)
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            try #require(up.succeeded, "up failed: \(up.stderrText)")
            let pidFile = workspace.directory + "/console.pid"
            try await TmuxSession.with(width: 80, height: 40, command: try workspace.consoleCommand(pidFile: pidFile)) { tmux in
                try await tmux.waitFor("pod \(workspace.pod) ● running")
                let console = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(try await Self.statsChildren(of: console).isEmpty, "podman stats runs before the overlay opens")

                try await tmux.send("s")
                let shown = try await tmux.waitUntil("CPU and memory figures of every container") { screen in
                    ["opencode", "falkordb", "valkey"].allSatisfy { screen.contains("\(workspace.pod)-\($0)") }
                        && screen.range(of: #"CPU\s+\d+\.\d%"#, options: .regularExpression) != nil
                        && screen.range(of: #"MEMORY\s+[\d.]+ [KMG]?B / [\d.]+ [KMG]?B"#, options: .regularExpression) != nil
                }
                #expect(shown.contains("Stats (s or Esc closes)"))
                let running = try await Self.statsChildren(of: console)
                #expect(running.count == 1, "expected one podman stats child of the console, found \(running)")

                try await tmux.send("Escape")
                try await tmux.waitUntil("the overlay to close") { !$0.contains("Stats (s or Esc closes)") }
                // A ceiling that only tells "ended" from "left running"; the benchmark times it.
                let deadline = Date().addingTimeInterval(60)
                var left = try await Self.statsChildren(of: console)
                while !left.isEmpty && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    left = try await Self.statsChildren(of: console)
                }
                #expect(left.isEmpty, "podman stats still runs after the overlay closed: \(left)")

                // The palette word opens it again, with a stream of its own.
                try await tmux.send(":")
                try await tmux.send("-l", "stats")
                try await tmux.send("Enter")
                try await tmux.waitFor("Stats (s or Esc closes)")
                #expect(try await Self.statsChildren(of: console).count == 1, "reopening did not start podman stats again")
                try await tmux.send("s")
                try await tmux.waitUntil("the overlay to close again") { !$0.contains("Stats (s or Esc closes)") }
                try await tmux.send("q")
            }
            let sample = try await workspace.opsCommand(["stats", "--json"])
            #expect(sample.succeeded, "stats --json failed: \(sample.stderrText)")
            let report = try #require(try JSONSerialization.jsonObject(with: sample.stdout) as? [String: Any])
            let names = (report["containers"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(Set(names) == Set(["opencode", "falkordb", "valkey"].map { "\(workspace.pod)-\($0)" }), "\(report)")
            let memory = (report["containers"] as? [[String: Any]] ?? []).compactMap { $0["memory_used"] as? Int }
            #expect(memory.count == 3 && memory.allSatisfy { $0 > 0 }, "\(report)")
        }

        /// Pids of `podman stats` processes whose parent is the console.
        static func statsChildren(of console: String) async throws -> [String] {
            let result = try await ProcessRunner().run("pgrep", ["-P", console, "-f", "podman stats"])
            return result.stdoutText.split(separator: "\n").map(String.init)
        }
    }
}
