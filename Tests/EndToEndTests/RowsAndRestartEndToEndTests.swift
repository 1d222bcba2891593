import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanEndToEndTests {
    /// Against a real pod whose OpenCode stand-in runs the real backup scripts (rclone to a
    /// folder on the backup-state volume, so the remote outlives the pod): one container restarted
    /// from the palette by keys; a backup job whose id is the backup's id; then, with the pod
    /// down, the backups listed by a one-off container and, once the image is gone, from the
    /// console's cached listing marked with its age.
    @Suite(.serialized, .enabled(if: TestTools.shouldRun("podman", "tmux")), .timeLimit(.minutes(10)))
    struct RowsAndRestartEndToEndTests {
        static func startedAt(_ workspace: PodConsoleWorkspace, _ role: String) async throws -> String {
            try await workspace.inspect(["container", "inspect", "--format", "{{.State.StartedAt}}", "\(workspace.pod)-\(role)"])
        }

        @Test func restartFromThePaletteAndBackupsListedWithThePodDown() async throws {
            try await Harness.requireTmux()
            let workspace = try await ApplyGuardEndToEndTests.standIn(
                name: "rows", port: 14560, remote: JourneyEndToEndTests.remote
            )
            do {
                try await workspace.buildInitialImage()
                try await run(workspace)
            } catch {
                await workspace.clean()
                throw error
            }
            await workspace.clean()
            try? FileManager.default.removeItem(atPath: workspace.directory)
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            let up = try await workspace.opsCommand(["up"])
            try #require(up.exitCode == 0, "up: \(up.stderrText)")

            // A backup run as a detached job: the job's id is the backup's id, in the job list,
            // the script's record and the audit log.
            let started = try await workspace.opsCommand(["jobs", "start", "backup", "--follow"])
            try #require(started.exitCode == 0, "backup job: \(started.stdoutText) \(started.stderrText)")
            let jobID = try #require(started.stdoutText.firstMatch(of: #/started job (\S+) /#).map { String($0.1) }, "\(started.stdoutText)")
            #expect(jobID.wholeMatch(of: #/\d{8}T\d{6}Z-[0-9a-f]{4}/#) != nil, "the script's run id form: \(jobID)")
            let shown = try await workspace.opsCommand(["backup", "show", jobID, "--json"])
            #expect(ApplyGuardEndToEndTests.json(shown.stdoutText)["id"] as? String == jobID, "\(shown.stdoutText) \(shown.stderrText)")
            let output = started.stdoutText.split(separator: "\n").map(String.init)
            #expect(!zip(output, output.dropFirst()).contains { $0 == $1 }, "no line printed twice in a row: \(output)")
            let audit = try await workspace.opsCommand(["audit"])
            #expect(audit.stdoutText.contains("started job \(jobID)"), "\(audit.stdoutText)")

            // A restore job of it: its id is the restore run's id, and its output repeats no line.
            let restore = try await workspace.opsCommand(["jobs", "start", "restore", jobID, "--follow"])
            try #require(restore.exitCode == 0, "restore job: \(restore.stdoutText) \(restore.stderrText)")
            let restoreID = try #require(restore.stdoutText.firstMatch(of: #/started job (\S+) /#).map { String($0.1) }, "\(restore.stdoutText)")
            #expect(restoreID.wholeMatch(of: #/restore-\d{8}T\d{6}Z-[0-9a-f]{4}/#) != nil, "\(restoreID)")
            let restoreLines = restore.stdoutText.split(separator: "\n").map(String.init)
            #expect(!zip(restoreLines, restoreLines.dropFirst()).contains { $0 == $1 }, "no line printed twice in a row: \(restoreLines)")
            let history = try await workspace.opsCommand(["backup", "list", "--json"])
            let historyRows = ((try? JSONSerialization.jsonObject(with: history.stdout) as? [String: Any])?["backups"] as? [[String: Any]]) ?? []
            #expect(historyRows.contains { $0["id"] as? String == restoreID && $0["kind"] as? String == "restore" },
                    "the run record has the job's id: \(history.stdoutText)")

            // The palette's restart: pick Valkey by key, confirm, see it restarted.
            let before = try await Self.startedAt(workspace, "valkey")
            let opencodeBefore = try await Self.startedAt(workspace, "opencode")
            try await TmuxSession.with(width: 120, height: 36, command: try workspace.consoleCommand()) { tmux in
                try await tmux.waitFor("\(workspace.pod) ● running", timeout: 60)
                try await tmux.send(":")
                try await tmux.send("-l", "restart")
                let palette = try await tmux.waitFor("Restart one container of the pod")
                #expect(palette.contains("▶ Restart one container"), "listed first: \(palette)")
                try await tmux.send("Enter")
                let which = try await tmux.waitFor("Restart which container?")
                #expect(which.contains("v Valkey (\(workspace.pod)-valkey, running)"), "\(which)")
                try await tmux.send("v")
                try await tmux.waitFor("Restart Valkey?")
                try await tmux.send("y")
                try await tmux.openMessages(showing: "\(workspace.pod)-valkey restarted", timeout: 120)
                try await tmux.send("Escape")
                // The rows say which backup, when to the second, how checked and how started.
                try await tmux.send("3")
                let pattern = BackupFormat.shortID(jobID) + #" \d\d-\d\d \d\d:\d\d:\d\d verified (md5|sha1|size) +manual "#
                try await tmux.waitUntil("the backup's row", timeout: 60) { $0.range(of: pattern, options: .regularExpression) != nil }
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0", timeout: 30)
            }
            #expect(try await Self.startedAt(workspace, "valkey") != before, "Valkey started again")
            #expect(try await Self.startedAt(workspace, "opencode") == opencodeBefore, "only the picked container")
            let restarted = try await workspace.opsCommand(["audit"])
            #expect(restarted.stdoutText.contains("restart \(workspace.pod)-valkey: succeeded"), "\(restarted.stdoutText)")
            let readonly = try await workspace.opsCommand(["restart", "falkordb", "--readonly"])
            #expect(readonly.exitCode == 3)
            let cli = try await workspace.opsCommand(["restart", "falkordb", "--json"])
            #expect(ApplyGuardEndToEndTests.json(cli.stdoutText)["result"] as? String == "restarted", "\(cli.stdoutText) \(cli.stderrText)")

            // The pod down: `backup list --json` lists through a one-off container.
            let down = try await workspace.opsCommand(["down"])
            try #require(down.exitCode == 0, "down: \(down.stderrText)")
            let list = try await workspace.opsCommand(["backup", "list", "--json"])
            #expect(list.exitCode == 0, "\(list.stderrText)")
            let listed = (try? JSONSerialization.jsonObject(with: list.stdout) as? [String: Any]) ?? [:]
            #expect(listed["source"] as? String == "one-off container", "\(list.stdoutText)")
            let rows = listed["backups"] as? [[String: Any]] ?? []
            #expect(rows.first?["id"] as? String == jobID && rows.first?["verification"] as? String != nil, "\(rows)")

            // The console with the pod down: the same rows, restore says it needs the pod.
            try await TmuxSession.with(width: 120, height: 36, command: try workspace.consoleCommand()) { console in
                try await console.send("3")
                let screen = try await console.waitFor("one-off listing at", timeout: 120)
                #expect(screen.contains("pod down; restore needs it up (u)"))
                #expect(screen.contains(BackupFormat.shortID(jobID) + " "), "\(screen)")
                try await console.send("R")
                try await console.openMessages(showing: "needs the pod up", timeout: 30)
                try await console.send("Escape")
                try await console.send("q")
                try await console.waitFor("EXIT=0", timeout: 30)
            }

            // Without the image no container can list: the cached listing shows, with its age.
            let cache = workspace.directory + "/state/opencode-ops/backup-listing-\(workspace.pod).json"
            let mode = try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int
            #expect(mode.map { $0 & 0o777 } == 0o600, "the cache is private")
            _ = try await PodConsoleWorkspace.podman(["rmi", "--force", workspace.image])
            try await TmuxSession.with(width: 120, height: 36, command: try workspace.consoleCommand()) { cached in
                try await cached.send("3")
                let screen = try await cached.waitFor("one-off listing failed", timeout: 60)
                #expect(screen.range(of: #"cached \d+ s ago|cached \d+ min ago"#, options: .regularExpression) != nil, "\(screen)")
                #expect(screen.contains(BackupFormat.shortID(jobID) + " "), "\(screen)")
                try await cached.send("q")
                try await cached.waitFor("EXIT=0", timeout: 30)
            }
        }
    }
}
