import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// Detached jobs with the real binary, real podman builds of a tiny busybox image, and consoles
    /// in tmux: a job outlives the console that watched it (SIGHUP), one job per group runs at a
    /// time, and a SIGKILLed job shows as abandoned.
    @Suite(.tags(.jobs), .serialized, .enabled(if: TestTools.shouldRun("podman", "tmux", "busybox")))
    struct JobsEndToEndTests {
        /// A workspace whose config builds a busybox image that takes a few seconds.
        struct Workspace {
            let directory: URL
            let image: String

            init(buildSeconds: Int) throws {
                directory = try Harness.workspace()
                image = "localhost/opencode-ops-test-jobs/e2e-\(UUID().uuidString.prefix(8).lowercased()):latest"
                let context = directory.appendingPathComponent("context")
                try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
                let busybox = try ProcessRunner().locate("busybox").path
                try FileManager.default.copyItem(atPath: busybox, toPath: context.appendingPathComponent("busybox").path)
                try """
                FROM scratch
                LABEL opencode-ops-test=jobs opencode-ops-test-run=\(UUID().uuidString)
                COPY busybox /bin/busybox
                RUN ["/bin/busybox", "sleep", "\(buildSeconds)"]
                RUN ["/bin/busybox", "echo", "job build step done"]
                """.write(to: context.appendingPathComponent("Containerfile"), atomically: true, encoding: .utf8)
                let config = directory.appendingPathComponent("config/opencode-ops")
                try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
                // A pod name of its own: a rebuild must never replace another pod's container.
                try "build_context: \(context.path)\nimage: \(image)\npod: oojobs-\(UUID().uuidString.prefix(8).lowercased())\n"
                    .write(to: config.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
            }

            var environment: [String: String] {
                var environment = ProcessInfo.processInfo.environment
                environment["XDG_CONFIG_HOME"] = directory.path + "/config"
                environment["XDG_STATE_HOME"] = directory.path + "/state"
                environment["CONTAINERS_CONF"] = Self.containersConf
                environment.removeValue(forKey: "SSH_CONNECTION")
                return environment
            }

            static var containersConf: String {
                URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("Support/containers.conf").path
            }

            func cli(_ arguments: [String]) async throws -> ProcessResult {
                try await ProcessRunner(environment: environment).run(try Harness.binary(), arguments)
            }

            func jobs() async throws -> [[String: Any]] {
                let result = try await cli(["jobs", "--json"])
                let parsed = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]]
                return parsed ?? []
            }

            func consoleCommand() throws -> String {
                "cd \(directory.path) && env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color CONTAINERS_CONF=\(Self.containersConf) "
                    + "XDG_CONFIG_HOME=\(directory.path)/config XDG_STATE_HOME=\(directory.path)/state \(try Harness.binary()); echo EXIT=$?; sleep 600"
            }

            func console(width: Int = 120, height: Int = 30) async throws -> TmuxSession {
                try await Harness.requireTmux()
                let tmux = try await TmuxSession.start(width: width, height: height, command: try consoleCommand())
                try await tmux.waitFor("1 Health")
                return tmux
            }

            func cleanUp() async {
                _ = try? await ProcessRunner(environment: environment).run("podman", ["rmi", "-f", image])
            }
        }

        @Test func aJobOutlivesItsConsoleAndOnlyOneRunsAtATime() async throws {
            // Long enough that the job is still building after the console's hang-up, however
            // quickly or slowly the steps before it went.
            let workspace = try Workspace(buildSeconds: 15)
            defer { Task { await workspace.cleanUp() } }
            let watcher = try await workspace.console()

            // Two requests at the same moment: exactly one job starts, the other is told who runs.
            async let first = workspace.cli(["jobs", "start", "build"])
            async let second = workspace.cli(["jobs", "start", "build"])
            let results = try await [first, second]
            #expect(results.filter(\.succeeded).count == 1, "\(results.map(\.stdoutText)) \(results.map(\.stderrText))")
            let refused = try #require(results.first { !$0.succeeded })
            #expect(refused.stderrText.contains("a build job is already running"))
            #expect(refused.stderrText.contains("started by"))
            let jobs = try await workspace.jobs()
            #expect(jobs.count == 1)
            let id = try #require(jobs.first?["id"] as? String)

            // The console sees the job another process started, and follows its output.
            try await watcher.send("J")
            try await watcher.waitFor(id)
            try await watcher.send("Enter")
            try await watcher.waitFor("STEP 3/5")
            // Quitting while it runs asks, and says how to find it again.
            try await watcher.send("Escape")
            try await watcher.send("q")
            let asked = try await watcher.waitFor("Quit while jobs run?")
            #expect(asked.contains("jobs attach"))
            // The SSH connection drops: the console gets SIGHUP mid-build.
            let shell = try await watcher.paneFlag("pane_pid")
            let hangUp = try await ProcessRunner().run("pkill", ["-HUP", "-P", shell, "-x", "opencode-ops"])
            #expect(hangUp.succeeded)
            try await watcher.waitFor("EXIT=129")
            await watcher.stop()
            #expect(try await workspace.jobs().first?["state"] as? String == "running", "the job died with its console")

            // Reattach from the CLI until it ends; then a new console shows the result.
            let attached = try await workspace.cli(["jobs", "attach", id])
            #expect(attached.succeeded, "\(attached.stdoutText)\(attached.stderrText)")
            #expect(attached.stdoutText.contains("job build step done"))
            #expect(attached.stdoutText.contains("job \(id) succeeded"))
            // The log holds typed events beside the text: attach hides them, `--events` shows them.
            #expect(!attached.stdoutText.contains("@opencode-ops-event"), "\(attached.stdoutText)")
            let events = try await workspace.cli(["jobs", "log", id, "--no-follow", "--events"])
            #expect(events.stdoutText.contains(#"{"progress":{"instruction":"#), "\(events.stdoutText)")
            #expect(events.stdoutText.contains(#"{"built":{"duration":"#), "\(events.stdoutText)")
            let later = try await workspace.console()
            try await later.send("J")
            let screen = try await later.waitFor("succeeded")
            #expect(screen.contains(id))
            #expect(screen.contains("started job \(id)"), "the audit log shows the start")
            try await later.send("Escape")
            try await later.send("q")
            try await later.waitFor("EXIT=0")
            await later.stop()

            let audit = try await workspace.cli(["audit", "--json"])
            let entries = try JSONSerialization.jsonObject(with: audit.stdout) as? [[String: Any]] ?? []
            let results2 = entries.compactMap { $0["result"] as? String }
            #expect(results2.contains { $0.hasPrefix("refused") })
            #expect(results2.contains("succeeded"))
        }

        @Test func aKilledJobShowsAsAbandonedAndItsLockIsCleared() async throws {
            let workspace = try Workspace(buildSeconds: 20)
            defer { Task { await workspace.cleanUp() } }
            let started = try await workspace.cli(["jobs", "start", "build"])
            #expect(started.succeeded, "\(started.stderrText)")
            // The job records its own pid once it runs; until then the status says 0, and kill(0)
            // would hit this test's own process group.
            var pid = 0
            let deadline = Date().addingTimeInterval(TmuxSession.shortestCeiling)
            while pid <= 0, Date() < deadline {
                pid = try await workspace.jobs().first?["pid"] as? Int ?? 0
                if pid <= 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(pid > 0, "the job never recorded its pid")
            #expect(kill(Int32(pid), SIGKILL) == 0)
            // The job's own podman build is a separate process; the kernel reaps the job soon after.
            var state = ""
            let reaped = Date().addingTimeInterval(TmuxSession.shortestCeiling)
            while state != "abandoned", Date() < reaped {
                state = try await workspace.jobs().first?["state"] as? String ?? ""
                if state != "abandoned" { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(state == "abandoned")
            let console = try await workspace.console()
            try await console.send("J")
            try await console.waitFor("abandoned")
            try await console.send("Escape")
            try await console.send("q")
            try await console.waitFor("EXIT=0")  // nothing runs: no question asked
            await console.stop()
            let again = try await workspace.cli(["jobs", "start", "build", "--readonly"])
            #expect(again.exitCode == 3)
            #expect(again.stderrText.contains("refused"))
            let retry = try await workspace.cli(["jobs", "start", "build"])
            #expect(retry.succeeded)
            #expect(retry.stderrText.contains("cleared a stale image lock"))
            let id = try #require(try await workspace.jobs().first?["id"] as? String)
            _ = try await workspace.cli(["jobs", "attach", id])
        }
    }
}
