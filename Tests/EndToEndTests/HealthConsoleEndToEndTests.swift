import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// The Health and Environment panels against a real container: its healthcheck flips from
    /// healthy to unhealthy when the file it serves is removed, and the console (real binary under
    /// tmux) shows the change when the scheduled probe next runs; secrets never reach the screen or --json.
    @Suite(.serialized, .enabled(if: TestTools.shouldRun("podman", "tmux", "busybox")))
    struct HealthConsoleEndToEndTests {
        static let label = "opencode-ops-test=console-health"
        static let image = "localhost/opencode-ops-test/health-flip:latest"
        static let port = 14601
        static let secret = "e2e-secret-DO-NOT-SHOW"

        static let podmanEnvironment = TestPodman.environment

        static func podman(_ arguments: [String]) async throws -> ProcessResult {
            try await ProcessRunner(environment: podmanEnvironment).run("podman", arguments)
        }

        static func removeLeftovers() async {
            _ = try? await podman(["rm", "--force", "--time", "1", "--filter", "label=\(label)"])
            if let listed = try? await podman(["ps", "-aq", "--filter", "label=\(label)"]) {
                for id in listed.stdoutText.split(separator: "\n") { _ = try? await podman(["rm", "-f", "-t", "1", String(id)]) }
            }
        }

        /// A 2 MB busybox httpd image whose HEALTHCHECK fetches /global/health every second.
        static func buildImage() async throws {
            if (try await podman(["image", "exists", image])).succeeded { return }
            let context = FileManager.default.temporaryDirectory.appendingPathComponent("hc-image-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: context) }
            let busybox = try ProcessRunner().locate("busybox").path
            try FileManager.default.copyItem(atPath: busybox, toPath: context.appendingPathComponent("busybox").path)
            try """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox", "--install", "-s", "/bin"]
            RUN mkdir -p /www/global && echo '{"healthy":true}' > /www/global/health
            ENV FALKORDB_HOST=localhost FALKORDB_PORT=6379 VALKEY_HOST=localhost VALKEY_PORT=6380
            HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD wget -q -O /dev/null http://127.0.0.1:4096/global/health || exit 1
            ENTRYPOINT ["/bin/httpd", "-f", "-p", "4096", "-h", "/www"]
            """.write(to: context.appendingPathComponent("Containerfile"), atomically: true, encoding: .utf8)
            let built = try await podman(["build", "--format", "docker", "--label", label, "-t", image, context.path])
            guard built.succeeded else { throw E2EError("test image build failed: \(built.stderrText)") }
        }

        /// Short names the Health panel uses when its full names do not fit.
        static let shortNames = ["Healthcheck": "Podman HC", "OpenCode HTTP": "OpenCode ", "Graphiti memory": "Graphiti"]

        /// Waits until a Health row for `row` (its full or short name) holds `word`. Health is the
        /// top left panel at 120 columns: only that half of each line is read.
        @discardableResult
        static func waitForRow(
            _ tmux: TmuxSession, _ row: String, showing word: String, timeout: TimeInterval = TmuxSession.shortestCeiling
        ) async throws -> String {
            let names = [row] + (shortNames[row].map { [$0] } ?? [])
            return try await tmux.waitUntil("a \(row) row showing \(word)", timeout: timeout) { screen in
                screen.split(separator: "\n").map { $0.prefix(60) }.contains { line in
                    names.contains { line.contains($0) } && line.contains(word)
                }
            }
        }

        @Test func healthcheckFlipShowsOnTheNextProbe() async throws {
            try TestTools.require("podman", "tmux", "busybox")
            await Self.removeLeftovers()
            try await Self.buildImage()
            let pod = "hce2e\(UUID().uuidString.prefix(6).lowercased())"
            let container = "\(pod)-opencode"
            let workspace = try Harness.workspace()
            let configDirectory = workspace.appendingPathComponent("config/opencode-ops")
            try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
            let envFile = workspace.appendingPathComponent("secrets.env").path
            try "B2_APPLICATION_KEY_ID=\(Self.secret)\nB2_BUCKET=e2e-bucket\n".writeSecrets(to: envFile)
            try """
            pod: \(pod)
            image: \(Self.image)
            port: \(Self.port)
            env_file: \(envFile)
            environment:
              VALKEY_PORT: "6390"
            """.write(to: configDirectory.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)

            let run = try await Self.podman([
                "run", "-d", "--name", container, "--label", Self.label, "--stop-timeout", "1",
                "--env-file", envFile, "-p", "127.0.0.1:\(Self.port):4096", Self.image,
            ])
            guard run.succeeded else { throw E2EError("podman run failed: \(run.stderrText)") }

            let environment = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=\(workspace.path)/config "
                + "XDG_STATE_HOME=\(workspace.path)/state CONTAINERS_CONF=\(TestPodman.containersConf)"
            let command = "cd \(workspace.path) && env \(environment) \(try Harness.binary()); echo EXIT=$?; sleep 600"
            let tmux = try await TmuxSession.start(width: 120, height: 40, command: command)
            do {
                try await tmux.waitFor("1 Health")
                // Healthy first: the probe runs the check itself where podman has no healthcheck timer.
                var screen = try await Self.waitForRow(tmux, "Healthcheck", showing: "ok")
                screen = try await Self.waitForRow(tmux, "OpenCode HTTP", showing: "ok")
                #expect(screen.contains("defaults from image localhost/opencode-ops-test/health-"))
                #expect(screen.contains("VALKEY_PORT"))
                #expect(screen.contains("apply"), "VALKEY_PORT differs from the running container: apply uses it")
                #expect(screen.contains("•••• set"))
                #expect(!screen.contains(Self.secret))

                // Remove the file the healthcheck fetches: the scheduled probe must see it.
                let removed = try await Self.podman(["exec", container, "rm", "/www/global/health"])
                #expect(removed.succeeded)
                screen = try await Self.waitForRow(tmux, "Healthcheck", showing: "failing")
                #expect(!screen.contains(Self.secret))

                // `h` runs the healthcheck now: restored, it turns ok.
                _ = try await Self.podman(["exec", container, "sh", "-c", "echo '{\"healthy\":true}' > /www/global/health"])
                try await tmux.send("h")
                screen = try await Self.waitForRow(tmux, "Healthcheck", showing: "ok")

                // Enter on the Healthcheck row opens its details with the status changes.
                try await tmux.send("j")
                try await tmux.send("Enter")
                try await tmux.waitFor("STATUS CHANGES")
                // The changes are the page's last lines, below the wrapped history: search for each.
                for change in ["failing -> ok", "ok -> failing"] {
                    try await tmux.send("/")
                    try await tmux.send("-l", change)
                    try await tmux.send("Enter")
                    screen = try await tmux.waitUntil("the status change \(change)") { $0.contains("/\(change)  match") }
                    #expect(!screen.contains(Self.secret))
                }
                #expect(!screen.contains(Self.secret))
                try await tmux.send("Escape")

                // The Environment panel, scrolled end to end, never shows the secret.
                try await tmux.send("2")
                for _ in 0..<70 {
                    try await tmux.send("j")
                }
                try await Task.sleep(nanoseconds: 300_000_000)
                #expect(!(try await tmux.screen()).contains(Self.secret))
                try await tmux.send("q")
                _ = try await tmux.waitFor("EXIT=0")
            } catch {
                await tmux.stop()
                await Self.removeLeftovers()
                throw error
            }
            await tmux.stop()

            // The subcommands share the probes and the model: masked, and exit codes that say so.
            let subcommandEnvironment = Self.podmanEnvironment.merging([
                "XDG_CONFIG_HOME": workspace.path + "/config", "XDG_STATE_HOME": workspace.path + "/state",
            ]) { _, new in new }
            let runner = ProcessRunner(environment: subcommandEnvironment)
            let env = try await runner.run(try Harness.binary(), ["env", "--json"])
            #expect(env.exitCode == 0, "env --json: \(env.stderrText)")
            #expect(env.stdoutText.contains("\"B2_APPLICATION_KEY_ID\""))
            #expect(env.stdoutText.contains("needsRestart\":true"))
            let health = try await runner.run(try Harness.binary(), ["health", "--json"])
            #expect(health.stdoutText.contains("\"podman-health\""))
            #expect(health.exitCode == 1, "redis-cli is not in the test image, so the database probes fail")
            for output in [env.stdoutText, env.stderrText, health.stdoutText, health.stderrText] {
                #expect(!output.contains(Self.secret))
            }
            await Self.removeLeftovers()
        }
    }
}
