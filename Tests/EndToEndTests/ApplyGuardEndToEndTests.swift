import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanEndToEndTests {
    /// Apply and the backup guards through the real binary against a real pod whose OpenCode
    /// stand-in runs the real backup scripts (rclone to a local directory, slowed by
    /// RCLONE_BWLIMIT so a backup is still running while the other commands are tried).
    @Suite(.serialized, .enabled(if: TestPodman.shouldRun), .timeLimit(.minutes(8)))
    struct ApplyGuardEndToEndTests {
        /// A console workspace whose OpenCode image is the backup tools image plus the scripts.
        static func workspace(name: String, port: Int) async throws -> PodConsoleWorkspace {
            let workspace = try await standIn(name: name, port: port)
            try await workspace.buildInitialImage()
            return workspace
        }

        /// The workspace with the stand-in's build context written but not built. `serving` adds
        /// an HTTP server answering /global/health and a health check, for tests that wait for
        /// health; `remote` is the backup remote's folder inside the container.
        static func standIn(
            name: String, port: Int, firstRun: Bool = false, serving: Bool = false, remote: String = "/remote"
        ) async throws -> PodConsoleWorkspace {
            let workspace = try await PodConsoleWorkspace.make(name: name, port: port, firstRun: firstRun)
            await workspace.clean()
            let tools = try await ProcessRunner(environment: TestPodman.environment)
                .run(TestPodman.repoRoot + "/Tests/backup/tools-image.sh", ["localhost/opencode-ops-test/backup-tools:1"])
            guard tools.succeeded else { throw E2EError("tools-image.sh: \(tools.stderrText.suffix(600))") }
            let files = FileManager.default
            try files.createDirectory(atPath: workspace.context + "/scripts", withIntermediateDirectories: true)
            for script in ["backup", "restore", "list-backups", "opsbackup"] {
                try files.copyItem(atPath: TestPodman.repoRoot + "/scripts/" + script, toPath: workspace.context + "/scripts/" + script)
            }
            // python3 as PID 1 ignores SIGTERM: SIGKILL stops it at once.
            let server = """
            RUN mkdir -p /www/global && echo '{"healthy":true}' > /www/global/health
            STOPSIGNAL SIGKILL
            HEALTHCHECK --interval=2s --timeout=10s --start-period=5s --retries=5 \\
              CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:4096/global/health', timeout=5)"
            CMD ["python3", "-m", "http.server", "4096", "--bind", "0.0.0.0", "--directory", "/www"]
            """
            try """
            FROM localhost/opencode-ops-test/backup-tools:1
            LABEL \(workspace.label)
            COPY scripts /app/scripts
            RUN mkdir -p /root/.config/opencode /root/.local/share/opencode
            \(serving ? server : #"CMD ["sleep", "infinity"]"#)

            """.write(toFile: workspace.context + "/Containerfile", atomically: true, encoding: .utf8)
            let settings = try String(contentsOfFile: workspace.configFile, encoding: .utf8)
            try (settings + "environment:\n  BACKUP_REMOTE: \(remote)\n  RCLONE_BWLIMIT: 1M\n").write(toFile: workspace.configFile, atomically: true, encoding: .utf8)
            return workspace
        }

        static func json(_ text: String) -> [String: Any] {
            let line = text.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? "{}"
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
        }

        static func exec(_ workspace: PodConsoleWorkspace, _ command: [String]) async throws -> String {
            try await workspace.inspect(["exec", workspace.opencodeContainer] + command)
        }

        /// Data big enough that the upload at 1 MB/s lasts about a minute, and a marker to find again.
        static func fill(_ workspace: PodConsoleWorkspace) async throws {
            _ = try await exec(workspace, ["sh", "-c", "echo kept > /root/.local/share/opencode/marker && "
                + "head -c 60000000 /dev/urandom > /root/.local/share/opencode/blob.bin"])
        }

        /// Waits (up to `seconds`) for `condition`; false when it never held.
        static func eventually(_ seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
            for _ in 0..<(seconds * 2) {
                if try await condition() { return true }
                try await Task.sleep(nanoseconds: 500_000_000)
            }
            return false
        }

        @Test func applyAndTheGuardsWithARealBackupRunning() async throws {
            let workspace = try await Self.workspace(name: "guard", port: 14510)
            defer { Task { await workspace.clean() } }
            let up = try await workspace.opsCommand(["up", "--no-wait"])
            try #require(up.succeeded, "up: \(up.stderrText)")
            try await Self.fill(workspace)

            // Nothing changed: apply says so and touches nothing.
            let before = try await workspace.inspect(["container", "inspect", "--format", "{{.Id}}", workspace.opencodeContainer])
            let unchanged = try await workspace.opsCommand(["apply", "--json"])
            #expect(unchanged.exitCode == 0 && Self.json(unchanged.stdoutText)["result"] as? String == "unchanged", "\(unchanged.stdoutText) \(unchanged.stderrText)")

            // A secret changes: the dry run names the variable, never its value.
            try "OPS_TEST_SECRET=rotated-value\nOPENCODE_SERVER_PASSWORD=test-server-pw\n".writeSecrets(to: workspace.directory + "/config/opencode-ops/secrets.env")
            let dry = try await workspace.opsCommand(["apply", "--dry-run"])
            #expect(dry.stdoutText.contains("\(workspace.opencodeContainer): variables changed: OPS_TEST_SECRET"), "\(dry.stdoutText)")
            #expect(!dry.stdoutText.contains("rotated-value") && !dry.stdoutText.contains("falkordb:"))

            // A real backup runs: everything that would kill it refuses with 75, naming it.
            let started = try await workspace.opsCommand(["backup", "run", "--detach", "--json"])
            let id = try #require(Self.json(started.stdoutText)["id"] as? String, "\(started.stdoutText) \(started.stderrText)")
            for command in [["apply"], ["rebuild"], ["down"]] {
                let refused = try await workspace.opsCommand(command)
                #expect(refused.exitCode == 75, "\(command): \(refused.exitCode) \(refused.stderrText)")
                #expect(refused.stderrText.contains(id) && refused.stderrText.contains("--wait"), "\(command): \(refused.stderrText)")
            }
            #expect(try await workspace.inspect(["container", "inspect", "--format", "{{.Id}}", workspace.opencodeContainer]) == before)

            // Apply as a job that waits; meanwhile a new backup is refused because of that job.
            let job = try await workspace.opsCommand(["jobs", "start", "apply", "--wait"])
            try #require(job.succeeded, "jobs start apply: \(job.stderrText)")
            let jobID = try #require(job.stdoutText.split(separator: " ").dropFirst(2).first.map(String.init))
            #expect(try await Self.eventually(30) {
                let output = try await workspace.opsCommand(["jobs", "log", "--no-follow", jobID])
                return output.stdoutText.contains("waiting for backup \(id)")
            }, "the apply job waits for the backup")
            let second = try await workspace.opsCommand(["backup", "run"])
            #expect(second.exitCode == 75, "\(second.exitCode) \(second.stderrText)")
            #expect(second.stderrText.contains("apply job \(jobID)"), "\(second.stderrText)")

            // The backup ends on its own, then the apply goes on: the backup was not killed.
            #expect(try await Self.eventually(400) {
                let jobs = try await workspace.opsCommand(["jobs", "--json"])
                return jobs.stdoutText.contains(jobID) && !jobs.stdoutText.contains("\"running\"")
            }, "the apply job ends")
            let log = try await workspace.opsCommand(["jobs", "log", jobID])
            #expect(log.stdoutText.contains("applied: \(workspace.opencodeContainer) recreated"), "\(log.stdoutText)")
            let show = try await workspace.opsCommand(["backup", "show", id, "--json"])
            #expect(Self.json(show.stdoutText)["result"] as? String == "succeeded", "history kept across apply: \(show.stdoutText) \(show.stderrText)")
            #expect(try await Self.exec(workspace, ["printenv", "OPS_TEST_SECRET"]) == "rotated-value")
            #expect(try await Self.exec(workspace, ["cat", "/root/.local/share/opencode/marker"]) == "kept")
            let audit = try await workspace.opsCommand(["audit", "--json"])
            #expect(audit.stdoutText.contains("apply"), "apply is audited")

            // Nothing running now: down goes through at once, --wait or not.
            let down = try await workspace.opsCommand(["down", "--wait"])
            #expect(down.succeeded, "\(down.stderrText)")
            #expect(down.stdoutText.contains("\(workspace.pod)-backup-state"), "the backup-state volume is kept: \(down.stdoutText)")
        }

        @Test func aBackupWhoseContainerIsStoppedUnderItIsReportedInterrupted() async throws {
            let workspace = try await Self.workspace(name: "intr", port: 14511)
            defer { Task { await workspace.clean() } }
            let up = try await workspace.opsCommand(["up", "--no-wait"])
            try #require(up.succeeded, "up: \(up.stderrText)")
            try await Self.fill(workspace)
            let follow = try ProcessRunner(environment: workspace.xdgEnvironment).start(try Harness.binary(), ["backup", "run"])
            var output: [String] = []
            let reader = Task { () -> [String] in
                var lines: [String] = []
                for await line in follow.output { lines.append(line.text) }
                return lines
            }
            #expect(try await Self.eventually(60) {
                let runs = try await Self.exec(workspace, ["/app/scripts/list-backups", "--runs", "--json"])
                return runs.contains("\"phase\": \"upload\"") || runs.contains("\"phase\":\"upload\"")
            }, "the backup reaches its upload")
            _ = try await workspace.inspect(["stop", "--time", "1", workspace.opencodeContainer])
            let code = await follow.exitCode()
            output = await reader.value
            let text = output.joined(separator: "\n")
            #expect(code == 130, "\(text)")
            // podman names a container that was stopped "stopped" for a moment, then "exited".
            #expect(["exited", "stopped"].contains { text.contains("interrupted during upload: container \(workspace.opencodeContainer) is \($0)") }, "\(text)")
            #expect(!text.contains("no reason recorded"))
        }
    }
}
