import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// The OpenCode container prints tens of thousands of lines a second while the Build & Logs
    /// panel shows its log: the newest lines still reach the screen, `q` still quits, and a
    /// closed terminal still ends the console. Ceilings only tell "happened" from "hung"; how
    /// fast is Tests/bench/log-flood.sh's business.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(10)))
    struct LogFloodEndToEndTests {
        @Test func underAFloodTheNewestLinesShowAndQuitAndAClosedTerminalEndTheConsole() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "flood", port: 14541, run)
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            try workspace.useFloodingImage()
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            #expect(up.succeeded, "up failed: \(up.stderrText)")

            try await TmuxSession.with(width: 120, height: 40, command: try workspace.consoleCommand()) { tmux in
                try await waitForTheContainer(tmux)
                try await workspace.flood(true)
                try await tmux.waitFor("flood line ", timeout: 120)
                try await Task.sleep(for: .seconds(3))
                try await workspace.flood(false)
                // The last line the container printed reaches the screen.
                let screen = try await tmux.waitFor("flood paused after", timeout: 120)
                let last = try await workspace.inspect(["logs", "--tail", "1", "--", workspace.opencodeContainer])
                #expect(last.hasPrefix("flood paused after"), "the container's last line: \(last)")
                #expect(screen.contains(last), "the newest line is not on screen; the log ends with \(last)")

                try await workspace.flood(true)
                try await Task.sleep(for: .seconds(2))
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0", timeout: 120)
            }

            // The terminal goes away under the flood: the console must not outlive it.
            let pidFile = workspace.directory + "/console.pid"
            try await TmuxSession.with(width: 120, height: 40, command: try workspace.consoleCommand(pidFile: pidFile)) { closing in
                try await waitForTheContainer(closing)
                try await closing.waitFor("flood line ", timeout: 120)
                let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
                #expect(Self.isRunning(pid), "the console is not running before its terminal closes")
                try await closing.tmux(["kill-session", "-t", closing.session])
                let deadline = Date().addingTimeInterval(120)
                while Self.isRunning(pid), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
                #expect(!Self.isRunning(pid), "the console outlived its closed terminal")
            }
            try await workspace.flood(false)
        }

        private func waitForTheContainer(_ tmux: TmuxSession) async throws {
            try await tmux.waitUntil("the OpenCode container running", timeout: 120) {
                $0.contains("opencode ● running") || $0.contains("opencode ● healthy")
            }
        }

        /// Alive and not a zombie waiting to be reaped (its parent may be gone with tmux).
        static func isRunning(_ pid: Int32) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return false }
            return stat[stat.index(close, offsetBy: 2)] != "Z"
        }
    }
}

extension PodConsoleWorkspace {
    /// The OpenCode stand-in with a flooder beside its httpd (Tests/Support/log-flood/flood.awk):
    /// quiet until `flood(true)`.
    func useFloodingImage() throws {
        try FileManager.default.copyItem(atPath: Self.repoRoot + "/Tests/Support/log-flood/flood.awk", toPath: context + "/flood.awk")
        let flooding = containerfile.replacingOccurrences(
            of: #"ENTRYPOINT ["/bin/httpd", "-f", "-p", "4096", "-h", "/www"]"#,
            with: "RUN mkdir -p /tmp\nCOPY flood.awk /flood.awk\n"
                + #"ENTRYPOINT ["/bin/sh", "-c", "httpd -p 4096 -h /www && exec awk -v rate=50000 -f /flood.awk"]"#
        )
        guard flooding != containerfile else { throw E2EError("the stand-in's ENTRYPOINT changed: update useFloodingImage") }
        try flooding.write(toFile: context + "/Containerfile", atomically: true, encoding: .utf8)
    }

    func flood(_ on: Bool) async throws {
        _ = try await inspect(["exec", opencodeContainer, "sh", "-c", "echo \(on ? "flood" : "pause") > /tmp/mode"])
    }
}
