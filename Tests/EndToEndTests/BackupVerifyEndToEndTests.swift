import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests.BackupConsoleEndToEndTests {
    /// A backup in a real pod (rclone to a local directory, redis-server sidecars): V on its row,
    /// confirm, and the verify job's result shows in the panel; `backup verify ID --json` and
    /// `backup list --json` report the same.
    @Test(.enabled(if: shouldRun), .timeLimit(.minutes(5)))
    func pressVConfirmSeeTheVerifyResult() async throws {
        let pod = try await Self.startPod(megabytes: 3)
        defer { Task { await Self.remove(pod: pod) } }
        _ = try await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", "6380", "SET", "session", "kept"])
        let made = try await Self.podman(["exec", "\(pod)-opencode", "/app/scripts/backup", "--json"])
        let backupLine = made.stdoutText.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
        let backup = try #require(try JSONSerialization.jsonObject(with: Data(backupLine.utf8)) as? [String: Any])
        let id = try #require(backup["id"] as? String)
        let short = String(id.suffix(4))

        let directory = try Harness.workspace()
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("config/opencode-ops"), withIntermediateDirectories: true)
        try "pod: \(pod)\n".write(to: directory.appendingPathComponent("config/opencode-ops/config.yaml"), atomically: true, encoding: .utf8)
        try await Harness.requireTmux()
        let environment = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=\(directory.path)/config "
            + "XDG_STATE_HOME=\(directory.path)/state CONTAINERS_CONF=\(TestPodman.containersConf)"
        let command = "cd \(directory.path) && env \(environment) \(try Harness.binary()); echo EXIT=$?; sleep 600"
        try await TmuxSession.with(width: 120, height: 36, command: command) { tmux in
            try await tmux.waitFor("1 Health")
            try await tmux.send("3")
            try await tmux.waitUntil("the verified backup row") { screen in
                screen.split(separator: "\n").contains { $0.contains(" verified ") && $0.contains("MB") }
            }
            let before = try await tmux.waitFor("no drill yet")
            #expect(before.contains("no BACKUP_VERIFY_SCHEDULE"))
            try await tmux.send("V")
            let dialog = try await tmux.waitFor("Verify backup \(id)?")
            #expect(dialog.contains("sha256"), "the confirmation says what is checked")
            try await tmux.send("y")
            // The verify's row in the history, then the panel's line with its result and age.
            try await tmux.waitFor("verify passed \(short)", timeout: 120)
            let done = try await tmux.waitFor("verify passed")
            let line = try await tmux.waitUntil("the panel's last verify line") { screen in
                screen.contains(" ago, backup \(short)")
            }
            #expect(line.contains("; no drill"), "a manual verify is not a drill")
            #expect(done.contains("●"), "a passed verify is marked ok")
            let messages = try await tmux.openMessages(showing: "verify of \(id) passed")
            // A long message wraps in the list: its words may sit on two lines.
            #expect(messages.contains("RDB") && messages.contains("test-restored"), "the result counts the test restores")
            try await tmux.send("Escape")
            try await tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }

        var env = Self.environment
        env["XDG_CONFIG_HOME"] = directory.path + "/config"
        env["XDG_STATE_HOME"] = directory.path + "/state"
        func ops(_ arguments: [String]) async throws -> ProcessResult {
            try await ProcessRunner(environment: env).run(try Harness.binary(), ["backup"] + arguments)
        }
        func object(_ text: String) throws -> [String: Any] {
            let line = text.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? text
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let verify = try await ops(["verify", id, "--json"])
        #expect(verify.exitCode == 0, "\(verify.stderrText)")
        let report = try object(verify.stdoutText)
        #expect(report["result"] as? String == "succeeded" && report["backup_id"] as? String == id)
        let checked = try #require(report["checked"] as? [String: Any])
        #expect(checked["rdb"] as? Int == 2 && checked["failed"] as? Int == 0, "\(checked)")
        let verifyID = try #require(report["id"] as? String)
        let shown = try await ops(["show", verifyID])
        #expect(shown.stdoutText.contains("verify \(verifyID): succeeded") && shown.stdoutText.contains("backup:   \(id)"),
                "\(shown.stdoutText)")
        #expect(shown.stdoutText.contains("RDB test-restored, 0 failed"), "\(shown.stdoutText)")
        let list = try await ops(["list", "--json"])
        let listed = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [String: Any])
        let drill = try #require(listed["drill"] as? [String: Any])
        let last = try #require(drill["last_verify"] as? [String: Any])
        #expect(last["result"] as? String == "succeeded" && last["backup_id"] as? String == id)
        let rows = try #require(listed["backups"] as? [[String: Any]])
        let row = try #require(rows.first { $0["id"] as? String == id })
        #expect((row["last_verify"] as? [String: Any])?["result"] as? String == "succeeded")
        let text = try await ops(["list"])
        #expect(text.stdoutText.contains("drills:   verify passed"), "\(text.stdoutText)")
        // Read-only refuses it before reaching the pod.
        let refused = try await ops(["verify", id, "--readonly"])
        #expect(refused.exitCode == 3 && refused.stderrText.contains("refused"))
        // The job's audit entry names the verify.
        let audit = try await ProcessRunner(environment: env).run(try Harness.binary(), ["audit"])
        #expect(audit.stdoutText.contains("verify"), "\(audit.stdoutText)")
    }
}
