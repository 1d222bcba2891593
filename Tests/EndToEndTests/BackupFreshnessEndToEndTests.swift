import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// Freshness and the encryption warning, by keys: a real backup made three days ago (its
    /// record and manifest dated back) reads as stale in the Backups panel and fails the
    /// backup-freshness row in Health and in `health --json`; a new backup (B, y) makes both
    /// fresh. The pod has no BACKUP_PASSWORD, so the panel warns "not encrypted".
    @Suite(.serialized) struct BackupFreshnessEndToEndTests {
        typealias Pod = BackupConsoleEndToEndTests

        /// Moves backup `id`'s record and its manifest on the remote `days` into the past.
        static func dateBack(pod: String, id: String, days: Int) async throws {
            let script = """
            import json, datetime as d
            shift = d.timedelta(days=\(days))
            def back(text):
                t = d.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ") - shift
                return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4] + "Z"
            for path, keys in (("/var/lib/opencode-backup/runs/\(id)/status.json", ("started_at", "ended_at")),
                               ("/remote/opencode-\(id).manifest.json", ("created_at",))):
                doc = json.load(open(path))
                for k in keys:
                    doc[k] = back(doc[k])
                json.dump(doc, open(path, "w"))
            """
            try await Pod.podman(["exec", "\(pod)-opencode", "python3", "-c", script])
        }

        @Test(.enabled(if: Pod.shouldRun), .timeLimit(.minutes(5)))
        func staleThenFreshInBackupsAndHealth() async throws {
            let pod = try await Pod.startPod(megabytes: 1)
            defer { Task { await Pod.remove(pod: pod) } }
            let made = try await Pod.podman(["exec", "\(pod)-opencode", "/app/scripts/backup", "--json"])
            let line = made.stdoutText.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = try #require(record["id"] as? String)
            try await Self.dateBack(pod: pod, id: id, days: 3)

            let directory = try Harness.workspace()
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("config/opencode-ops"), withIntermediateDirectories: true)
            try "pod: \(pod)\n".write(to: directory.appendingPathComponent("config/opencode-ops/config.yaml"), atomically: true, encoding: .utf8)
            var environment = Pod.environment
            environment["XDG_CONFIG_HOME"] = directory.path + "/config"
            environment["XDG_STATE_HOME"] = directory.path + "/state"
            func freshnessProbe() async throws -> (exitCode: Int32, status: String?, detail: String?) {
                let health = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["health", "--json"])
                let report = try #require(try JSONSerialization.jsonObject(with: health.stdout) as? [String: Any], "\(health.stderrText)")
                let probes = report["probes"] as? [[String: Any]] ?? []
                let probe = probes.first { $0["probe"] as? String == "backup-freshness" }
                return (health.exitCode, probe?["status"] as? String, probe?["detail"] as? String)
            }

            // The subcommands first: stale, a failure of `health` (exit 1) and of `backup list`.
            let stale = try await freshnessProbe()
            #expect(stale.status == "failing" && stale.exitCode == 1, "\(stale)")
            #expect(stale.detail?.contains("max 48 h, twice the schedule's 24 h interval") == true, "\(stale)")
            let list = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["backup", "list", "--json"])
            let listed = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [String: Any], "\(list.stderrText)")
            let freshness = try #require(listed["freshness"] as? [String: Any])
            #expect(freshness["failure"] as? Bool == true && freshness["status"] as? String == "failing", "\(freshness)")

            try await Harness.requireTmux()
            let variables = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=\(directory.path)/config "
                + "XDG_STATE_HOME=\(directory.path)/state CONTAINERS_CONF=\(TestPodman.containersConf)"
            let command = "cd \(directory.path) && env \(variables) \(try Harness.binary()); echo EXIT=$?; sleep 600"
            try await TmuxSession.with(width: 80, height: 24, command: command) { tmux in
                try await tmux.waitFor("1 Health")
                // Health: the freshness row fails (its first run reads the history in the pod).
                let failing = try await tmux.waitUntil("a failing Backups row in Health", timeout: 60) { screen in
                    screen.split(separator: "\n").contains { $0.contains("failing") && $0.contains("Backups") }
                }
                #expect(failing.contains("✖ failing"))
                // Backups: the stale line, and the warning that the archives are plain tar.
                try await tmux.send("3")
                // The warning comes with the remote listing, which arrives after the local history.
                let panel = try await tmux.waitUntil("the stale line and the warning", timeout: 60) { screen in
                    screen.contains("over max 48 h") && screen.contains("not encrypted")
                }
                #expect(panel.contains("✖ last good 3 d ago: over max 48 h"), "\(panel)")
                #expect(panel.contains("▲ not encrypted"), "\(panel)")
                // A new backup makes it fresh.
                try await tmux.send("B")
                try await tmux.waitFor("Run a backup now?")
                try await tmux.send("y")
                let fresh = try await tmux.waitUntil("a fresh line", timeout: 120) { screen in
                    screen.contains("ago, max 48 h") && !screen.contains("over max")
                }
                #expect(fresh.contains("● last good"), "\(fresh)")
                // Health, probed again now (r): the row turns ok.
                try await tmux.send("1")
                try await tmux.send("r")
                let ok = try await tmux.waitUntil("an ok Backups row in Health", timeout: 60) { screen in
                    screen.split(separator: "\n").contains { $0.contains("● ok") && $0.contains("Backups") }
                }
                #expect(!ok.split(separator: "\n").contains { $0.contains("failing") && $0.contains("Backups") })
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }
            let after = try await freshnessProbe()
            #expect(after.status == "ok", "\(after)")
        }
    }
}
