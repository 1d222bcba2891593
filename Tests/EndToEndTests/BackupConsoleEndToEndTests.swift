import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// The console with a real pod whose OpenCode container runs the backup scripts (rclone to a
    /// local directory, redis-server sidecars): press B, confirm, watch the progress, then see the
    /// verified backup in the history; restore it with R (confirmed twice) and find the data back.
    @Suite(.serialized) struct BackupConsoleEndToEndTests {
        static let label = "opencode-ops-test=console-backup"
        static let toolsImage = "localhost/opencode-ops-test/backup-tools:1"

        static let repoRoot = TestPodman.repoRoot
        static let environment = TestPodman.environment
        static var shouldRun: Bool { TestTools.shouldRun("podman", "tmux") }

        @discardableResult
        static func podman(_ arguments: [String], check: Bool = true) async throws -> ProcessResult {
            let result = try await ProcessRunner(environment: environment).run("podman", arguments)
            if check && !result.succeeded {
                throw E2EError("podman \(arguments.prefix(3).joined(separator: " ")): \(result.stderrText.suffix(600))")
            }
            return result
        }

        /// The tools image plus the scripts (the same image the adapter tests build, tagged by content).
        static func image() async throws -> String {
            let tools = try await ProcessRunner(environment: environment).run(repoRoot + "/Tests/backup/tools-image.sh", [toolsImage])
            guard tools.succeeded else { throw E2EError("tools-image.sh: \(tools.stderrText.suffix(600))") }
            let tag = "localhost/opencode-ops-test/backup-console-e2e:\(UUID().uuidString.prefix(8).lowercased())"
            let context = FileManager.default.temporaryDirectory.appendingPathComponent("bke2e-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: context + "/scripts", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: context) }
            for name in ["backup", "restore", "list-backups", "verify", "opsbackup"] {
                try FileManager.default.copyItem(atPath: repoRoot + "/scripts/" + name, toPath: context + "/scripts/" + name)
            }
            try "FROM \(toolsImage)\nLABEL \(label)\nCOPY scripts /app/scripts\n".write(toFile: context + "/Containerfile", atomically: true, encoding: .utf8)
            // Podman 4.3's cache lookup fails ("layer not known") when a suite running beside this
            // one removes an image meanwhile; the build only adds a tag, so it is tried again.
            for _ in 1..<4 {
                let built = try await podman(["build", "-q", "--label", label, "-t", tag, context], check: false)
                if built.succeeded { return tag }
                guard built.stderrText.contains("layer not known") else { break }
            }
            try await podman(["build", "-q", "--label", label, "-t", tag, context])
            return tag
        }

        /// Removes this suite's pods and images from earlier runs: by label and name, so the
        /// adapter tests' pods (same label) running at the same time are left alone.
        static func clean() async {
            if let pods = try? await podman(["pod", "ps", "-q", "--filter", "label=\(label)", "--filter", "name=^ocbk-e2e-"], check: false) {
                for id in pods.stdoutText.split(separator: "\n") { _ = try? await podman(["pod", "rm", "-f", "-t", "0", String(id)], check: false) }
            }
            if let images = try? await podman(["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference=localhost/opencode-ops-test/backup-console-e2e"], check: false) {
                for tag in Set(images.stdoutText.split(separator: "\n")) { _ = try? await podman(["rmi", "-f", String(tag)], check: false) }
            }
        }

        /// Removes one test's pod only: a later test of this suite may already be running.
        static func remove(pod: String) async {
            _ = try? await podman(["pod", "rm", "-f", "-t", "0", pod], check: false)
        }

        /// A pod with the OpenCode stand-in and two redis-server sidecars; `megabytes` of data,
        /// rclone limited to 10 MB/s so a run lasts long enough to be watched.
        static func startPod(megabytes: Int) async throws -> String {
            await Self.clean()
            let image = try await Self.image()
            let pod = "ocbk-e2e-\(UUID().uuidString.prefix(6).lowercased())"
            try await Self.podman(["pod", "create", "--name", pod, "--label", Self.label, "--label", "io.opencode-ops.pod=\(pod)", "--network", "none"])
            for (role, port) in [("falkordb", 6379), ("valkey", 6380)] {
                try await Self.podman(["run", "-d", "--pod", pod, "--name", "\(pod)-\(role)", "--label", Self.label,
                                       "--label", "io.opencode-ops.pod=\(pod)", "--label", "io.opencode-ops.role=\(role)", "-v", "/data",
                                       image, "redis-server", "--port", "\(port)", "--dir", "/data", "--save", ""])
            }
            try await Self.podman(["run", "-d", "--pod", pod, "--name", "\(pod)-opencode", "--label", Self.label,
                                   "--label", "io.opencode-ops.pod=\(pod)", "--label", "io.opencode-ops.role=opencode",
                                   "-e", "BACKUP_REMOTE=/remote", "-e", "FALKORDB_PORT=6379", "-e", "VALKEY_PORT=6380",
                                   "-e", "BACKUP_SCHEDULE=30 3 * * *", "-e", "RCLONE_BWLIMIT=10M",
                                   image, "sh", "-c",
                                   "mkdir -p /remote /root/.config/opencode /root/.local/share/opencode && "
                                   + "head -c \(megabytes * 1_000_000) /dev/urandom > /root/.local/share/opencode/blob.bin && exec sleep infinity"])
            for port in ["6379", "6380"] {
                var ready = false
                for _ in 0..<600 where !ready {  // a ceiling of minutes: each try is a podman exec
                    ready = (try? await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", port, "PING"], check: false))?.stdoutText.contains("PONG") == true
                    if !ready { try await Task.sleep(for: .milliseconds(200)) }
                }
            }
            return pod
        }

        @Test(.enabled(if: shouldRun), .timeLimit(.minutes(5)))
        func pressBConfirmSeeProgressThenRestoreTheVerifiedBackup() async throws {
            let pod = try await Self.startPod(megabytes: 30)
            defer { Task { await Self.remove(pod: pod) } }
            _ = try await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", "6379", "SET", "graph", "kept"])
            let directory = try Harness.workspace()
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("config/opencode-ops"), withIntermediateDirectories: true)
            try "pod: \(pod)\n".write(to: directory.appendingPathComponent("config/opencode-ops/config.yaml"), atomically: true, encoding: .utf8)
            try await Harness.requireTmux()
            let environment = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=\(directory.path)/config "
                + "XDG_STATE_HOME=\(directory.path)/state CONTAINERS_CONF=\(TestPodman.containersConf)"
            let command = "cd \(directory.path) && env \(environment) \(try Harness.binary()); echo EXIT=$?; sleep 600"
            // Wide enough for a history row's trigger and size beside its id, time and level.
            try await TmuxSession.with(width: 120, height: 36, command: command) { tmux in
                try await tmux.waitFor("1 Health")
                try await tmux.send("3")
                // The schedule and the empty history come from the container.
                try await tmux.waitFor("(30 3 * * *)", timeout: 20)
                try await tmux.waitFor("no backups yet", timeout: 20)
                try await tmux.waitFor("to /remote", timeout: 20)
                try await tmux.send("B")
                let dialog = try await tmux.waitFor("Run a backup now?")
                #expect(dialog.contains("/remote"), "the confirmation names the remote")
                try await tmux.send("y")
                let progress = try await tmux.waitFor("MB/s", timeout: 20)
                #expect(progress.contains("░") || progress.contains("█"), "a progress bar is drawn")
                #expect(progress.contains("ETA"), "progress shows the time left")
                #expect(progress.contains("running"), "the history shows the running backup")
                // A second trigger while it runs names the running one instead of asking.
                try await tmux.send("B")
                let messages = try await tmux.openMessages(showing: "already running", timeout: 60)
                #expect(!messages.contains("Run a backup now?"))
                try await tmux.send("Escape")
                // The history row, not the footer's "backup ... verified": the row is verified once
                // the remote listing has it.
                let done = try await tmux.waitUntil("a verified history row", timeout: 90) { screen in
                    screen.split(separator: "\n").contains { $0.contains(" verified ") && $0.contains("MB") }
                }
                let row = done.split(separator: "\n").first { $0.contains(" verified ") && $0.contains("MB") }.map(String.init) ?? ""
                #expect(row.range(of: #"[0-9a-f]{4} \d\d-\d\d \d\d:\d\d:\d\d verified (md5|sha1|size) +manual "#, options: .regularExpression) != nil,
                        "short id, time to the second, level and trigger: \(row)")
                #expect(done.contains("28.6 MB") || done.contains("MB"), "the verified row shows its size")
                #expect(!done.contains("░"), "the progress bar is gone once the run ended")

                // Restore it from the history: two confirmations, the first naming what is overwritten,
                // the second typed (a second y is refused); the console then loads the RDB into the
                // stopped and restarted sidecar.
                _ = try await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", "6379", "FLUSHALL"])
                try await tmux.send("R")
                let first = try await tmux.waitFor("will overwrite", timeout: 30)
                #expect(first.contains("/root/.local/share/opencode"))
                try await tmux.send("y")
                try await tmux.waitFor("Really restore")
                try await tmux.send("y")
                try await tmux.waitFor("> y_")
                try await tmux.send("Enter")
                let refused = try await tmux.waitFor("not confirmed: type")
                #expect(refused.contains("Really restore"), "a wrong answer keeps the dialog open")
                try await tmux.send("restore")
                try await tmux.send("Enter")
                try await tmux.waitFor("restored", timeout: 90)
                let value = try await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", "6379", "GET", "graph"])
                #expect(value.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "kept", "the RDB was loaded back")
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }
            // The remote holds the verified backup.
            let listing = try await Self.podman(["exec", "\(pod)-opencode", "ls", "/remote"])
            #expect(listing.stdoutText.contains(".manifest.json"))
        }

        @Test(.enabled(if: shouldRun), .timeLimit(.minutes(5)))
        func subcommandsRunListShowAndRestoreWithJSON() async throws {
            let pod = try await Self.startPod(megabytes: 2)
            defer { Task { await Self.remove(pod: pod) } }
            _ = try await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", "6379", "SET", "graph", "kept"])
            let directory = try Harness.workspace()
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("config/opencode-ops"), withIntermediateDirectories: true)
            try "pod: \(pod)\n".write(to: directory.appendingPathComponent("config/opencode-ops/config.yaml"), atomically: true, encoding: .utf8)
            var environment = Self.environment
            environment["XDG_CONFIG_HOME"] = directory.path + "/config"
            environment["XDG_STATE_HOME"] = directory.path + "/state"
            func ops(_ arguments: [String]) async throws -> ProcessResult {
                try await ProcessRunner(environment: environment).run(try Harness.binary(), ["backup"] + arguments)
            }
            func object(_ text: String) throws -> [String: Any] {
                let line = text.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? text
                return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            let run = try await ops(["run", "--json"])
            try #require(run.exitCode == 0, "\(run.stderrText)")
            let record = try object(run.stdoutText)
            #expect(record["result"] as? String == "succeeded")
            #expect(record["verified"] as? Bool == true)
            let id = try #require(record["id"] as? String)

            let list = try await ops(["list", "--json"])
            #expect(list.exitCode == 0, "\(list.stderrText)")
            let listed = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [String: Any])
            let rows = try #require(listed["backups"] as? [[String: Any]])
            #expect(rows.first?["id"] as? String == id && rows.first?["state"] as? String == "verified")
            #expect(listed["schedule"] as? String == "30 3 * * *")
            let warnings = listed["warnings"] as? [String] ?? []
            #expect(listed["encrypted"] as? Bool == false && warnings.first?.hasPrefix("not encrypted") == true,
                    "no BACKUP_PASSWORD in this pod: \(warnings)")
            let text = try await ops(["list"])
            #expect(text.stdoutText.contains(id) && text.stdoutText.contains("verified"))
            #expect(text.stdoutText.contains("warning: not encrypted"))

            let show = try await ops(["show", id, "--json"])
            #expect(try object(show.stdoutText)["id"] as? String == id)
            let shown = try await ops(["show", id])
            #expect(shown.stdoutText.contains("phase verify"), "the log is shown")
            #expect(shown.stdoutText.contains("verified: remote md5 (archive md5 "), "the level reached: \(shown.stdoutText)")
            #expect(shown.stdoutText.contains("stored:   not encrypted"))
            let missing = try await ops(["show", "20200101T000000Z-0000"])
            #expect(missing.exitCode != 0)

            _ = try await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", "6379", "FLUSHALL"])
            let refused = try await ops(["restore", id])
            #expect(refused.exitCode != 0 && refused.stdoutText.contains("will overwrite"), "without --yes only the plan")
            let restore = try await ops(["restore", id, "--yes", "--json"])
            #expect(restore.exitCode == 0, "\(restore.stderrText) \(restore.stdoutText)")
            let report = try object(restore.stdoutText)
            #expect(report["result"] as? String == "succeeded")
            let value = try await Self.podman(["exec", "\(pod)-opencode", "redis-cli", "-p", "6379", "GET", "graph"])
            #expect(value.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "kept")
        }
    }
}
