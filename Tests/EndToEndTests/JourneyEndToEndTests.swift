import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanEndToEndTests {
    /// The operator's first hour, from empty XDG config and state folders, against a real pod
    /// whose OpenCode stand-in serves health and runs the real backup scripts (rclone to a local
    /// folder on the backup-state volume, slowed by RCLONE_BWLIMIT): once by keys in the console
    /// under tmux, once by subcommands as a script drives it. README's "First run" follows it.
    @Suite(.serialized, .enabled(if: TestTools.shouldRun("podman", "tmux")), .timeLimit(.minutes(15)))
    struct JourneyEndToEndTests {
        static let marker = "/root/.local/share/opencode/marker"
        /// On the backup-state volume, so the remote outlives every replacement of the container.
        static let remote = PodmanVolumes.backupStatePath + "/remote"

        static func workspace(name: String, port: Int) async throws -> PodConsoleWorkspace {
            let workspace = try await ApplyGuardEndToEndTests.standIn(name: name, port: port, firstRun: true, serving: true, remote: remote)
            #expect(!FileManager.default.fileExists(atPath: workspace.directory + "/config/opencode-ops"), "XDG config starts empty")
            return workspace
        }

        static func writeMarker(_ workspace: PodConsoleWorkspace, _ text: String) async throws {
            _ = try await ApplyGuardEndToEndTests.exec(workspace, ["sh", "-c", "echo \(text) > \(marker)"])
        }

        static func readMarker(_ workspace: PodConsoleWorkspace) async throws -> String {
            try await ApplyGuardEndToEndTests.exec(workspace, ["cat", marker])
        }

        /// Data big enough that the upload at 1 MB/s lasts about half a minute.
        static func addBulk(_ workspace: PodConsoleWorkspace) async throws {
            _ = try await ApplyGuardEndToEndTests.exec(workspace, ["sh", "-c", "head -c 30000000 /dev/urandom > /root/.local/share/opencode/blob.bin"])
        }

        /// History rows of the Backups panel in a state: `● e7d1 11-28 22:45:05 verified md5`.
        static func rows(_ screen: String, _ word: String) -> Int {
            screen.split(separator: "\n").filter { $0.range(of: #"[0-9a-f]{4} \d\d-\d\d \d\d:\d\d:\d\d \#(word)( |$)"#, options: .regularExpression) != nil }.count
        }

        static func newestBackupID(_ workspace: PodConsoleWorkspace) async throws -> String {
            let list = try await workspace.opsCommand(["backup", "list", "--json"])
            let listed = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [String: Any], "\(list.stderrText)")
            let rows = try #require(listed["backups"] as? [[String: Any]])
            return try #require(rows.first?["id"] as? String, "no backup listed: \(list.stdoutText)")
        }

        @Test func theFirstHourByKeys() async throws {
            try await Harness.requireTmux()
            let workspace = try await Self.workspace(name: "journey", port: 14530)
            do {
                try await keys(workspace)
            } catch {
                await workspace.clean()
                throw error
            }
            await workspace.clean()
            try? FileManager.default.removeItem(atPath: workspace.directory)
        }

        private func keys(_ workspace: PodConsoleWorkspace) async throws {
            let tmux = try await TmuxSession.start(width: 120, height: 40, command: try workspace.consoleCommand())
            do {
                // 1. The first-run screen; `i` writes the secrets file.
                try await tmux.waitFor("First run", timeout: 30)
                try await tmux.send("i")
                try await tmux.waitUntil("the first-run screen to close", timeout: 30) { !$0.contains("First run") }
                let attributes = try FileManager.default.attributesOfItem(atPath: workspace.secretsFile)
                #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)

                // 2. The operator fills it in, keeping the generated passwords.
                let generated = try EnvFile.parse(String(contentsOfFile: workspace.secretsFile, encoding: .utf8), path: workspace.secretsFile)
                try workspace.setSecrets(["OPS_TEST_SECRET": "first"])

                // 3. Build the image, bring the pod up, see it healthy.
                try await tmux.send("b")
                let build = try await tmux.waitFor("Rebuild and replace OpenCode?", timeout: 30)
                #expect(build.contains("The pod is not up, so nothing is replaced."))
                try await tmux.send("y")
                // The result shows in the footer only until the job's own message follows it.
                try await tmux.openMessages(showing: "the pod is not up, nothing replaced", timeout: 300)
                try await tmux.send("Escape")
                try await tmux.send("u")
                try await tmux.waitFor("pod \(workspace.pod) ● running", timeout: 180)
                try await HealthConsoleEndToEndTests.waitForRow(tmux, "Healthcheck", showing: "ok", timeout: 180)
                try await HealthConsoleEndToEndTests.waitForRow(tmux, "OpenCode HTTP", showing: "ok", timeout: 60)
                for name in EnvCatalogue.generatedSecrets {
                    let value = try #require(generated.value(for: name))
                    #expect(try await ApplyGuardEndToEndTests.exec(workspace, ["printenv", name]) == value, "\(name) reached the container")
                }

                // 4. A backup to the local remote, verified.
                try await Self.writeMarker(workspace, "at-backup")
                try await tmux.send("3")
                try await tmux.waitFor("no backups yet", timeout: 60)
                try await tmux.send("B")
                try await tmux.waitFor("Run a backup now?", timeout: 30)
                try await tmux.send("y")
                try await tmux.waitUntil("a verified history row", timeout: 300) { Self.rows($0, "verified") == 1 }
                let first = try await Self.newestBackupID(workspace)

                // 5. A changed variable, applied: the data volume and the history are kept.
                try workspace.setSecrets(["OPS_TEST_SECRET": "second"])
                try await tmux.send("a")
                let apply = try await tmux.waitFor("Apply changes to pod", timeout: 60)
                #expect(apply.contains("variables changed: OPS_TEST_SECRET"), "\(apply)")
                #expect(!apply.contains("second"), "values are never shown")
                try await tmux.send("y")
                try await tmux.openMessages(showing: "(apply) succeeded", timeout: 300)
                try await tmux.send("Escape")
                #expect(try await ApplyGuardEndToEndTests.exec(workspace, ["printenv", "OPS_TEST_SECRET"]) == "second")
                #expect(try await Self.readMarker(workspace) == "at-backup", "the data volume is kept")
                try await tmux.waitUntil("the earlier backup listed after apply", timeout: 60) { Self.rows($0, "verified") == 1 }
                let shown = try await workspace.opsCommand(["backup", "show", first, "--json"])
                #expect(ApplyGuardEndToEndTests.json(shown.stdoutText)["result"] as? String == "succeeded", "history kept: \(shown.stdoutText) \(shown.stderrText)")

                // 6. A slow backup runs: `b` offers to wait for it, naming it; n cancels.
                try await Self.writeMarker(workspace, "after-backup")
                try await Self.addBulk(workspace)
                try await tmux.send("B")
                try await tmux.waitFor("Run a backup now?", timeout: 30)
                try await tmux.send("y")
                try await tmux.waitFor("MB/s", timeout: 120)
                try await tmux.send("b")
                try await tmux.waitFor("Rebuild and replace OpenCode?", timeout: 30)
                try await tmux.send("y")
                let guardDialog = try await tmux.waitFor("Wait, then rebuild?", timeout: 30)
                let running = try #require(
                    guardDialog.firstMatch(of: #/backup (\d{8}T\d{6}Z-\w+) \(/#).map { String($0.1) }, "no backup named: \(guardDialog)"
                )
                #expect(running != first)
                #expect(guardDialog.contains("is running."))
                try await tmux.send("n")
                try await tmux.waitUntil("the guard dialog to close", timeout: 30) { !$0.contains("Wait, then rebuild?") }
                try await tmux.waitUntil("both backups verified", timeout: 400) { Self.rows($0, "verified") == 2 }
                let second = try await workspace.opsCommand(["backup", "show", running, "--json"])
                #expect(ApplyGuardEndToEndTests.json(second.stdoutText)["result"] as? String == "succeeded", "the backup went on: \(second.stdoutText)")

                // 7. Restore the first backup: y, then its short id typed, Enter.
                try await tmux.send("/")
                try await tmux.send("-l", first.lowercased())
                try await tmux.send("Enter")
                try await tmux.waitUntil("the filtered history", timeout: 30) { Self.rows($0, "verified") == 1 }
                try await tmux.send("R")
                let plan = try await tmux.waitFor("Restore backup \(first)?", timeout: 60)
                #expect(plan.contains("/root/.local/share/opencode"), "the plan names the data it overwrites")
                try await tmux.send("y")
                try await tmux.waitFor("Really restore \(first)?", timeout: 30)
                try await tmux.send("-l", BackupFormat.shortID(first))
                try await tmux.send("Enter")
                try await tmux.waitUntil("a restored row", timeout: 300) { Self.rows($0, "restored") == 1 }
                #expect(try await Self.readMarker(workspace) == "at-backup", "the marker is back as it was at backup time")

                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0", timeout: 30)
            } catch {
                await tmux.stop(after: error)
                throw error
            }
            await tmux.stop()
        }

        @Test func theFirstHourBySubcommands() async throws {
            let workspace = try await Self.workspace(name: "journeycli", port: 14531)
            do {
                try await subcommands(workspace)
            } catch {
                await workspace.clean()
                throw error
            }
            await workspace.clean()
            try? FileManager.default.removeItem(atPath: workspace.directory)
        }

        private func subcommands(_ workspace: PodConsoleWorkspace) async throws {
            func json(_ result: ProcessResult) -> [String: Any] { ApplyGuardEndToEndTests.json(result.stdoutText) }
            // 1-2. init writes the secrets file; the script fills it in.
            let initialized = try await workspace.opsCommand(["init", "--json"])
            try #require(initialized.exitCode == 0, "init: \(initialized.stderrText)")
            let report = try JSONSerialization.jsonObject(with: initialized.stdout) as? [String: Any]
            #expect(report?["path"] as? String == workspace.secretsFile, "\(initialized.stdoutText)")
            try workspace.setSecrets(["OPS_TEST_SECRET": "first"])

            // 3. build, then up, which waits for health.
            let build = try await workspace.opsCommand(["build"])
            try #require(build.succeeded, "build: \(build.stderrText.suffix(600))")
            let up = try await workspace.opsCommand(["up"])
            try #require(up.succeeded, "up: \(up.stderrText)")
            #expect(up.stdoutText.contains("\(workspace.opencodeContainer) is healthy"), "\(up.stdoutText)")

            // 4. A backup, verified.
            try await Self.writeMarker(workspace, "at-backup")
            let run = try await workspace.opsCommand(["backup", "run", "--json"])
            try #require(run.exitCode == 0, "backup run: \(run.stderrText)")
            #expect(json(run)["result"] as? String == "succeeded" && json(run)["verified"] as? Bool == true, "\(run.stdoutText)")
            let first = try #require(json(run)["id"] as? String)

            // 5. A changed variable, applied.
            try workspace.setSecrets(["OPS_TEST_SECRET": "second"])
            let apply = try await workspace.opsCommand(["apply", "--json"])
            #expect(apply.exitCode == 0 && json(apply)["result"] as? String == "applied", "apply: \(apply.stdoutText) \(apply.stderrText)")
            #expect(json(apply)["recreated"] as? [String] == [workspace.opencodeContainer], "only OpenCode: \(apply.stdoutText)")
            #expect(try await ApplyGuardEndToEndTests.exec(workspace, ["printenv", "OPS_TEST_SECRET"]) == "second")
            #expect(try await Self.readMarker(workspace) == "at-backup", "the data volume is kept")
            let kept = try await workspace.opsCommand(["backup", "show", first, "--json"])
            #expect(json(kept)["result"] as? String == "succeeded", "history kept: \(kept.stdoutText) \(kept.stderrText)")

            // 6. A slow backup runs: a rebuild is refused with 75, naming it.
            try await Self.writeMarker(workspace, "after-backup")
            try await Self.addBulk(workspace)
            let started = try await workspace.opsCommand(["backup", "run", "--detach", "--json"])
            let running = try #require(json(started)["id"] as? String, "\(started.stdoutText) \(started.stderrText)")
            let refused = try await workspace.opsCommand(["rebuild"])
            #expect(refused.exitCode == 75, "rebuild: \(refused.exitCode) \(refused.stderrText)")
            #expect(refused.stderrText.contains(running), "\(refused.stderrText)")
            #expect(try await ApplyGuardEndToEndTests.eventually(400) {
                let shown = try await workspace.opsCommand(["backup", "show", running, "--json"])
                return json(shown)["result"] as? String == "succeeded"
            }, "the running backup ends on its own")

            // 7. Restore the first backup: the marker is back.
            let restore = try await workspace.opsCommand(["backup", "restore", first, "--yes", "--json"])
            #expect(restore.exitCode == 0, "restore: \(restore.stdoutText) \(restore.stderrText)")
            #expect(json(restore)["result"] as? String == "succeeded")
            #expect(try await Self.readMarker(workspace) == "at-backup", "the marker is back as it was at backup time")
        }
    }
}
