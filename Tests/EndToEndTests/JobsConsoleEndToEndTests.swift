import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// Jobs started from the console's own keys: a rebuild started with `b` outlives the console
    /// (tmux session killed, the console gets SIGHUP; or the SSH client killed over a real `ssh -t`),
    /// the next console shows its result, and two consoles confirming at once start one job.
    @Suite(.tags(.jobs), .serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(6)))
    struct JobsConsoleEndToEndTests {
        typealias Workspace = PodmanEndToEndTests.JobsEndToEndTests.Workspace

        @Test func aRebuildStartedWithBOutlivesItsConsoleAndTheNextConsoleShowsItsResult() async throws {
            try await Harness.requireTmux()
            let workspace = try await PodConsoleWorkspace.make(name: "jobs", port: 14810)
            await Self.removePod(workspace)
            do {
                try await rebuildOutlivesConsole(workspace)
            } catch {
                await Self.removePod(workspace)
                throw error
            }
            await Self.removePod(workspace)
            try? FileManager.default.removeItem(atPath: workspace.directory)
        }

        private func rebuildOutlivesConsole(_ workspace: PodConsoleWorkspace) async throws {
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            #expect(up.succeeded, "up failed: \(up.stderrText)")
            let before = try await workspace.inspect(["container", "inspect", "--format", "{{.Id}}", workspace.opencodeContainer])
            // A slow step, so the console is gone while the build still runs.
            // Long enough that the job is still building when the next console opens, even when
            // the machine is fast: the new console must find it running and follow it.
            try (workspace.containerfile + "RUN sleep 15\nRUN echo \(UUID().uuidString) > /www/build\n")
                .write(toFile: workspace.context + "/Containerfile", atomically: true, encoding: .utf8)

            let first = try await TmuxSession.start(width: 80, height: 24, command: try workspace.consoleCommand())
            do {
                try await first.waitFor("pod \(workspace.pod) ● running", timeout: 20)
                try await first.send("b")
                try await first.waitFor("Rebuild and replace OpenCode?")
                try await first.send("y")
                let building = try await first.waitFor("sleep 15", timeout: 30)
                #expect(building.contains("STEP "), "no STEP progress from the job's output")
            } catch {
                await first.stop()
                throw error
            }
            // The terminal goes away mid-build: tmux hangs up on the console.
            await first.stop()
            let running = try await Self.jobs(workspace)
            #expect(running.count == 1)
            #expect(running.first?["kind"] as? String == "rebuild")
            #expect(running.first?["state"] as? String == "running", "the rebuild died with its console")

            // A new console picks the running job up and shows how it ended.
            // Tall enough that the messages list shows every message of this run (the stand-in
            // image has no backup scripts, and the backups panel says so more than once).
            try await TmuxSession.with(width: 120, height: 60, command: try workspace.consoleCommand()) { second in
                try await second.waitFor("healthy: \(workspace.opencodeContainer)", timeout: 120)
                let newImage = try await workspace.inspect(["image", "inspect", "--format", "{{.Id}}", workspace.image])
                // The messages list has room for the whole result line, and says it followed the job.
                let messages = try await second.openMessages(showing: "now runs \(newImage.prefix(12))")
                #expect(messages.contains("following the running rebuild job"), "the running job was not picked up")
                try await second.send("Escape")
                let after = try await workspace.inspect(["container", "inspect", "--format", "{{.Id}} {{.Image}}", workspace.opencodeContainer])
                #expect(!after.hasPrefix(before), "container not replaced")
                #expect(after.hasSuffix(newImage), "the new container does not run the new image")
                try await second.send("q")
                try await second.waitFor("EXIT=0")
            }
            let ended = try await Self.jobs(workspace)
            #expect(ended.first?["state"] as? String == "succeeded")
            #expect(ended.first?["exit_code"] as? Int == 0)
        }

        @Test func twoConsolesConfirmingARebuildAtOnceStartOneJob() async throws {
            let workspace = try Workspace(buildSeconds: 4)
            defer { Task { await workspace.cleanUp() } }
            let left = try await workspace.console()
            let right = try await workspace.console()
            do {
                for console in [left, right] {
                    try await console.send("b")
                    try await console.waitFor("Rebuild and replace OpenCode?")
                }
                async let confirmLeft: Void = left.send("y")
                async let confirmRight: Void = right.send("y")
                _ = try await (confirmLeft, confirmRight)
                // One console says who started the running job and when; the other follows it.
                // (A key press returns before the console has acted on it: wait for the answer.)
                var refused: TmuxSession?
                let deadline = Date().addingTimeInterval(TmuxSession.shortestCeiling)
                while refused == nil, Date() < deadline {
                    for console in [left, right] where try await console.screen().contains("not started") { refused = console }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let loser = try #require(refused, "neither console reports the refusal")
                let jobs = try await workspace.jobs()
                #expect(jobs.count == 1, "\(jobs)")
                // The messages list is wider than the panel: it shows the whole refusal.
                let messages = try await loser.openMessages(showing: "started by")
                #expect(messages.contains("started by \(NSUserName())"))
                #expect(messages.contains(jobs.first?["id"] as? String ?? "?"))
                try await loser.send("Escape")
                let winner = loser === left ? right : left
                try await winner.waitFor("built ", timeout: 60)
            } catch {
                await left.stop()
                await right.stop()
                throw error
            }
            await left.stop()
            await right.stop()
            let id = try #require(try await workspace.jobs().first?["id"] as? String)
            _ = try await workspace.cli(["jobs", "attach", id])
            #expect(try await workspace.jobs().first?["state"] as? String == "succeeded")
        }

        @Test func overARealSSHConnectionARebuildOutlivesTheKilledClient() async throws {
            try await Harness.requireTmux()
            let workspace = try Workspace(buildSeconds: 6)
            let server = try await LoopbackSSHServer.start()
            defer {
                server.stop()
                Task { await workspace.cleanUp() }
            }
            let remoteConsole = "cd \(workspace.directory.path) && env \(Self.remoteEnvironment(workspace)) TERM=tmux-256color \(try Harness.binary())"
            let command = server.sshCommand(tty: true, remote: remoteConsole) + "; echo EXIT=$?; sleep 600"
            try await TmuxSession.with(width: 120, height: 30, command: command) { tmux in
                try await tmux.waitFor("1 Health", timeout: 20)
                try await tmux.send("b")
                try await tmux.waitFor("Rebuild and replace OpenCode?")
                try await tmux.send("y")
                try await tmux.waitFor("STEP ", timeout: 30)
                // The connection drops: the ssh client dies, sshd hangs up on the console.
                let shell = try await tmux.paneFlag("pane_pid")
                let killed = try await ProcessRunner().run("pkill", ["-KILL", "-P", shell, "-x", "ssh"])
                #expect(killed.succeeded, "no ssh client to kill")
                try await tmux.waitFor("EXIT=", timeout: 10)
            }

            // From a new connection: the job ran on, and ends with the build's result.
            let listing = try await server.run(remote: "env \(Self.remoteEnvironment(workspace)) \(try Harness.binary()) jobs --json")
            let jobs = try JSONSerialization.jsonObject(with: listing.stdout) as? [[String: Any]] ?? []
            let job = try #require(jobs.first, "no job over ssh: \(listing.stdoutText) \(listing.stderrText)")
            #expect(job["kind"] as? String == "rebuild")
            #expect((job["ssh_client"] as? String)?.hasPrefix("127.0.0.1") == true, "the job does not record the SSH client")
            let id = try #require(job["id"] as? String)
            let attach = try await server.run(remote: "env \(Self.remoteEnvironment(workspace)) \(try Harness.binary()) jobs attach \(id)")
            #expect(attach.succeeded, "\(attach.stdoutText) \(attach.stderrText)")
            #expect(attach.stdoutText.contains("job build step done"))
            let final = try await server.run(remote: "env \(Self.remoteEnvironment(workspace)) \(try Harness.binary()) jobs --json")
            let finished = try JSONSerialization.jsonObject(with: final.stdout) as? [[String: Any]] ?? []
            #expect(finished.first?["state"] as? String == "succeeded", "\(final.stdoutText)")
            #expect(finished.first?["exit_code"] as? Int == 0)
            let image = try await ProcessRunner(environment: workspace.environment).run("podman", ["image", "exists", workspace.image])
            #expect(image.succeeded, "the rebuild's image is not there")
        }

        static func remoteEnvironment(_ workspace: Workspace) -> String {
            "LANG=C.UTF-8 LC_ALL=C.UTF-8 CONTAINERS_CONF=\(Workspace.containersConf) "
                + "XDG_CONFIG_HOME=\(workspace.directory.path)/config XDG_STATE_HOME=\(workspace.directory.path)/state"
        }

        static func jobs(_ workspace: PodConsoleWorkspace) async throws -> [[String: Any]] {
            let result = try await workspace.opsCommand(["jobs", "--json"])
            return try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        }

        /// This test's pod, volumes and images, by name (the pod suite's images are left alone).
        static func removePod(_ workspace: PodConsoleWorkspace) async {
            _ = try? await PodConsoleWorkspace.podman(["pod", "rm", "--force", "--time", "0", workspace.pod])
            for role in ["opencode", "falkordb", "valkey"] {
                _ = try? await PodConsoleWorkspace.podman(["volume", "rm", "--force", "\(workspace.pod)-\(role)-data"])
            }
            _ = try? await PodConsoleWorkspace.podman(["rmi", "--force", workspace.image, workspace.image.replacingOccurrences(of: ":latest", with: ":previous")])
        }
    }
}

/// openssh-server on 127.0.0.1 for one test: a throwaway host key, user key, authorized_keys,
/// config and pid file, all in a temp folder; the machine's own ssh setup is never read or changed.
final class LoopbackSSHServer: @unchecked Sendable {
    let directory: URL
    let port: Int
    private let process: Process

    private init(directory: URL, port: Int, process: Process) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    static func start() async throws -> LoopbackSSHServer {
        guard let sshd = ["/usr/sbin/sshd", "/usr/bin/sshd"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw E2EError("sshd is not installed (openssh-server): run Tests/jobs/setup.sh")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opencode-ops-ssh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for key in ["host_key", "user_key"] {
            let made = try await ProcessRunner().run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "opencode-ops-test", "-f", directory.path + "/" + key])
            guard made.succeeded else { throw E2EError("ssh-keygen: \(made.stderrText)") }
        }
        try FileManager.default.copyItem(atPath: directory.path + "/user_key.pub", toPath: directory.path + "/authorized_keys")
        // sshd running as root wants its privilege separation folder (normally made at boot).
        if getuid() == 0 && !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        var lastError = ""
        for port in (14820...14899).shuffled().prefix(5) {
            let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory.path)/host_key
            PidFile \(directory.path)/sshd.pid
            AuthorizedKeysFile \(directory.path)/authorized_keys
            UsePAM no
            StrictModes no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            X11Forwarding no
            AllowTcpForwarding no

            """
            try config.write(to: directory.appendingPathComponent("sshd_config"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sshd)
            process.arguments = ["-D", "-e", "-f", directory.path + "/sshd_config"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: {
                let url = directory.appendingPathComponent("sshd.log")
                FileManager.default.createFile(atPath: url.path, contents: nil)
                return url
            }())
            try process.run()
            let server = LoopbackSSHServer(directory: directory, port: port, process: process)
            // Ready when a client gets in.
            let deadline = Date().addingTimeInterval(TmuxSession.shortestCeiling)
            while Date() < deadline && process.isRunning {
                if (try? await server.run(remote: "true"))?.succeeded == true { return server }
                try await Task.sleep(for: .milliseconds(100))
            }
            lastError = (try? String(contentsOf: directory.appendingPathComponent("sshd.log"), encoding: .utf8)) ?? ""
            server.stop(removing: false)
        }
        try? FileManager.default.removeItem(at: directory)
        throw E2EError("sshd did not start on 127.0.0.1: \(lastError)")
    }

    private var clientOptions: [String] {
        [
            "-F", "/dev/null", "-i", directory.path + "/user_key", "-p", "\(port)",
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=\(directory.path)/known_hosts", "-o", "LogLevel=ERROR",
        ]
    }

    /// The shell line that runs `remote` over ssh (with a terminal when `tty`).
    func sshCommand(tty: Bool, remote: String) -> String {
        let quoted = "'" + remote.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return (["ssh"] + (tty ? ["-t"] : []) + clientOptions + ["\(NSUserName())@127.0.0.1", quoted]).joined(separator: " ")
    }

    /// Runs `remote` over a new connection without a terminal.
    func run(remote: String) async throws -> ProcessResult {
        try await ProcessRunner().run("ssh", clientOptions + ["\(NSUserName())@127.0.0.1", remote])
    }

    func stop(removing: Bool = true) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if removing { try? FileManager.default.removeItem(at: directory) }
    }
}
