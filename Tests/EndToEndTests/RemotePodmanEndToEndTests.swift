import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanEndToEndTests {
    /// The console and its adapters against a podman reached over SSH (`CONTAINER_HOST`), as an
    /// operator drives a server from a laptop: the image is built by a detached job through the
    /// connection, the pod started through it, and everything that reaches into the pod (the
    /// OpenCode probe, exec, logs, stats, backups) goes through podman, not localhost.
    @Suite(.serialized, .enabled(if: RemotePodman.shouldRun && PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(10)))
    struct RemotePodmanEndToEndTests {
        @Test func adaptersListInspectWatchAndExecThroughTheConnection() async throws {
            try await RemotePodman.with { remote in
                try await PodConsoleWorkspace.withWorkspace(name: "remote-adapters", port: 14600) { workspace in
                    try await Self.prepare(workspace, remote: remote)
                    let client = PodmanClient(settings: Settings(), environment: remote.environment)
                    #expect(client.isRemote)
                    #expect(client.endpoint == .host(remote.address))
                    let info = try await client.checked(["info", "--format", "{{.Host.ServiceIsRemote}}"])
                    #expect(info.stdoutText.hasPrefix("true"), "podman did not go through the service: \(info.stdoutText)")

                    let watch = PodmanWatch(client: client, pod: workspace.pod, reconnectDelay: 0.2)
                    let recorder = UpdateRecorder()
                    let task = Task { for await update in watch.updates() { await recorder.add(update) } }
                    defer { task.cancel() }
                    _ = try await recorder.waitFor { updates in
                        updates.lazy.compactMap { if case .snapshot(let snapshot) = $0 { snapshot } else { nil } }.first
                    }

                    let up = try await workspace.remoteCommand(["up"], remote: remote)
                    try #require(up.succeeded, "up through the connection failed: \(up.stderrText)")
                    // The events stream of the remote engine saw the pod start, and its snapshot has it.
                    let running = try await recorder.waitFor { updates in
                        updates.lazy.compactMap { update -> PodSnapshot? in
                            guard case .snapshot(let snapshot) = update,
                                  snapshot.pod?.container(role: .opencode)?.state == .running else { return nil }
                            return snapshot
                        }.first
                    }
                    #expect(running.pod?.workloadContainers.count == 3)
                    let started = await recorder.all.contains { if case .event(let event) = $0 { event.name == workspace.opencodeContainer } else { false } }
                    #expect(started, "no event for \(workspace.opencodeContainer) from the remote events stream")

                    let listed = try await client.listContainers(pod: workspace.pod)
                    #expect(Set(listed.map(\.name)).isSuperset(of: ["opencode", "falkordb", "valkey"].map { "\(workspace.pod)-\($0)" }), "\(listed.map(\.name))")
                    #expect(try await client.inspectPod(workspace.pod) != nil)

                    // exec: a command in the container, a variable passed by name only.
                    let exec = PodmanExec(container: workspace.opencodeContainer) { arguments, environment in
                        try await ProcessRunner(environment: remote.environment.merging(environment) { _, new in new })
                            .run(arguments[0], Array(arguments.dropFirst()))
                    }
                    let echoed = try await exec.run(["sh", "-c", "echo \"$OPS_REMOTE_WORD from $(hostname)\""], ["OPS_REMOTE_WORD": "hello"])
                    #expect(echoed.succeeded && echoed.stdoutText.hasPrefix("hello from"), "\(echoed.stdoutText) \(echoed.stderrText)")

                    // The OpenCode probe as ProbeSet builds it for a remote engine: through exec,
                    // with the password from the env file; a wrong one is told apart.
                    let secrets = ["OPENCODE_SERVER_PASSWORD": "test-server-pw"]
                    let probe = OpenCodeProbe(baseURL: URL(string: "http://127.0.0.1:4096")!, environment: secrets,
                                              schedule: ProbeSchedule(interval: 30, timeout: 60), transport: ExecHTTPTransport(runner: exec.run))
                    let result = try await Self.eventually { let result = await probe.check(); return result.status == .ok ? result : nil }
                    #expect(result.detail == "HTTP 200 /global/health, version standin-1 via podman exec", "\(result)")
                    let wrong = OpenCodeProbe(baseURL: URL(string: "http://127.0.0.1:4096")!, environment: ["OPENCODE_SERVER_PASSWORD": "wrong"],
                                              schedule: ProbeSchedule(interval: 30, timeout: 60), transport: ExecHTTPTransport(runner: exec.run))
                    let rejected = await wrong.check()
                    #expect(rejected.status == .failing && rejected.error?.contains("credentials rejected") == true, "\(rejected)")
                    let closed = OpenCodeProbe(baseURL: URL(string: "http://127.0.0.1:4097")!, environment: secrets,
                                               schedule: ProbeSchedule(interval: 30, timeout: 60), transport: ExecHTTPTransport(runner: exec.run))
                    let refused = await closed.check()
                    #expect(refused.status == .failing && refused.error?.contains("connection refused at 127.0.0.1:4097 in the container") == true, "\(refused)")

                    // The same engine named in the settings (`podman.connection`), podman's variables unset.
                    let named = PodmanClient(connection: RemotePodman.connectionName, runner: ProcessRunner(environment: remote.connectionEnvironment))
                    #expect(named.endpoint == .connection(RemotePodman.connectionName))
                    let namedInfo = try await named.checked(["info", "--format", "{{.Host.ServiceIsRemote}}"])
                    #expect(namedInfo.stdoutText.hasPrefix("true"), "--connection did not reach the service: \(namedInfo.stdoutText)")
                    let config = try String(contentsOfFile: workspace.configFile, encoding: .utf8)
                    try (config + "podman:\n  connection: \(RemotePodman.connectionName)\n").write(toFile: workspace.configFile, atomically: true, encoding: .utf8)
                    let environment = workspace.xdgEnvironment.merging(remote.connectionEnvironment) { _, new in new }
                    let health = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["health", "--json"])
                    let probes = (try JSONSerialization.jsonObject(with: health.stdout) as? [String: Any])?["probes"] as? [[String: Any]] ?? []
                    let openCode = probes.first { $0["probe"] as? String == "opencode" }
                    #expect(openCode?["status"] as? String == "ok", "\(health.stdoutText) \(health.stderrText)")
                    #expect(openCode?["detail"] as? String == "HTTP 200 /global/health, version standin-1 via podman exec", "\(health.stdoutText)")

                    let down = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["down"])
                    #expect(down.succeeded, "down through the named connection failed: \(down.stderrText)")
                    #expect(try await client.inspectPod(workspace.pod) == nil, "the pod is still there after down")
                }
            }
        }

        @Test func theConsoleDrivesAPodOnTheRemoteEngine() async throws {
            try await RemotePodman.with { remote in
                try await PodConsoleWorkspace.withWorkspace(name: "remote-console", port: 14601) { workspace in
                    try await Self.prepare(workspace, remote: remote)
                    let up = try await workspace.remoteCommand(["up"], remote: remote)
                    try #require(up.succeeded, "up through the connection failed: \(up.stderrText)")

                    let command = try workspace.consoleCommand(variables: remote.variables)
                    // Wide enough for the header's connection and the probe's detail inline.
                    try await TmuxSession.with(width: 240, height: 40, command: command) { tmux in
                        let header = try await tmux.waitFor("pod \(workspace.pod) ● running", timeout: 60)
                        #expect(header.contains("podman \(remote.address)"), "the header does not name the connection:\n\(header)")
                        // The OpenCode probe passes, and its history says it reached the server from
                        // inside the pod (the published port answers here too, being this machine's).
                        try await tmux.waitUntil("the OpenCode probe passing", timeout: 120) { screen in
                            screen.range(of: #"● ok +OpenCode"#, options: .regularExpression) != nil
                        }
                        // j then k: the first row (OpenCode) whether or not a row was selected.
                        try await tmux.send("1")
                        try await tmux.send("j")
                        try await tmux.send("k")
                        try await tmux.send("Enter")
                        let page = try await tmux.waitFor("via podman exec", timeout: 60)
                        #expect(page.contains("HTTP 200 /global/health, version standin-1 via podman exec"), "\(page)")
                        try await tmux.send("Escape")
                        try await tmux.send("4")
                        try await tmux.waitFor("opencode stand-in listening on 4096", timeout: 60)
                        // A shell in the container on the remote engine, and back.
                        try await tmux.send("e")
                        try await tmux.waitUntil("the shell", timeout: 60) { !$0.contains("1 Health") && $0.contains("#") }
                        try await tmux.send("echo remote-$((6 * 7)) from $(hostname)", "Enter")
                        try await tmux.waitFor("remote-42 from", timeout: 30)
                        try await tmux.send("exit", "Enter")
                        try await tmux.waitUntil("the console redrawn", timeout: 30) { $0.contains("1 Health") && $0.contains("? help") }
                        try await tmux.openMessages(showing: "shell in \(workspace.opencodeContainer) ended (exit 0)")
                        try await tmux.send("Escape")
                        try await tmux.send("q")
                        try await tmux.waitFor("EXIT=0")
                    }

                    let health = try await workspace.remoteCommand(["health", "--json"], remote: remote)
                    let probes = (try JSONSerialization.jsonObject(with: health.stdout) as? [String: Any])?["probes"] as? [[String: Any]] ?? []
                    let openCode = probes.first { $0["probe"] as? String == "opencode" }
                    #expect(openCode?["status"] as? String == "ok", "\(health.stdoutText)")
                    #expect(openCode?["detail"] as? String == "HTTP 200 /global/health, version standin-1 via podman exec", "\(health.stdoutText)")

                    let logs = try await workspace.remoteCommand(["logs", "opencode"], remote: remote)
                    #expect(logs.succeeded && logs.stdoutText.contains("opencode stand-in listening on 4096"), "\(logs.stdoutText) \(logs.stderrText)")

                    let sample = try await workspace.remoteCommand(["stats", "--json"], remote: remote)
                    #expect(sample.succeeded, "stats --json failed: \(sample.stderrText)")
                    let report = try #require(try JSONSerialization.jsonObject(with: sample.stdout) as? [String: Any])
                    let names = (report["containers"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                    #expect(Set(names) == Set(["opencode", "falkordb", "valkey"].map { "\(workspace.pod)-\($0)" }), "\(report)")

                    let run = try await workspace.remoteCommand(["backup", "run", "--json"], remote: remote)
                    try #require(run.succeeded, "backup run failed: \(run.stderrText)")
                    let record = try #require(try JSONSerialization.jsonObject(
                        with: Data((run.stdoutText.split(separator: "\n").last { $0.hasPrefix("{") } ?? "").utf8)) as? [String: Any])
                    #expect(record["result"] as? String == "succeeded", "\(record)")
                    let list = try await workspace.remoteCommand(["backup", "list", "--json"], remote: remote)
                    #expect(list.succeeded, "backup list failed: \(list.stderrText)")
                    let listed = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [String: Any])
                    let rows = listed["backups"] as? [[String: Any]] ?? []
                    #expect(rows.first?["id"] as? String == record["id"] as? String && rows.first?["state"] as? String == "verified", "\(listed)")
                }
            }
        }

        /// The workspace's image for a remote run: the backup tools image (python3, rclone,
        /// redis-cli) with the backup scripts and an OpenCode stand-in that wants the server
        /// password, built through the connection by a detached build job.
        static func prepare(_ workspace: PodConsoleWorkspace, remote: RemotePodman) async throws {
            let tools = try await ProcessRunner(environment: TestPodman.environment)
                .run(TestPodman.repoRoot + "/Tests/backup/tools-image.sh", [BackupConsoleEndToEndTests.toolsImage])
            guard tools.succeeded else { throw E2EError("tools-image.sh: \(tools.stderrText.suffix(600))") }
            let files = FileManager.default
            try files.createDirectory(atPath: workspace.context + "/scripts", withIntermediateDirectories: true)
            for name in ["backup", "restore", "list-backups", "verify", "opsbackup"] {
                try files.copyItem(atPath: TestPodman.repoRoot + "/scripts/" + name, toPath: workspace.context + "/scripts/" + name)
            }
            try files.copyItem(atPath: TestPodman.repoRoot + "/Tests/Support/opencode-standin.py", toPath: workspace.context + "/opencode-standin.py")
            try """
                FROM \(BackupConsoleEndToEndTests.toolsImage)
                COPY scripts /app/scripts
                COPY opencode-standin.py /usr/local/bin/opencode-standin
                RUN mkdir -p /remote /root/.config/opencode /root/.local/share/opencode
                LABEL \(workspace.label)
                STOPSIGNAL SIGKILL
                EXPOSE 4096
                ENTRYPOINT ["python3", "/usr/local/bin/opencode-standin", "4096"]

                """.write(toFile: workspace.context + "/Containerfile", atomically: true, encoding: .utf8)
            let config = try String(contentsOfFile: workspace.configFile, encoding: .utf8)
            try (config + "environment:\n  BACKUP_REMOTE: /remote\n  FALKORDB_HOST: localhost\n  FALKORDB_PORT: \"6379\"\n"
                + "  VALKEY_HOST: localhost\n  VALKEY_PORT: \"6380\"\n")
                .write(toFile: workspace.configFile, atomically: true, encoding: .utf8)

            let build = try await workspace.remoteCommand(["jobs", "start", "build", "--follow"], remote: remote)
            try #require(build.succeeded, "the build job through the connection failed: \(build.stdoutText.suffix(800)) \(build.stderrText.suffix(800))")
            let exists = try await remote.podman(["image", "exists", workspace.image])
            #expect(exists.succeeded, "the remote build did not tag \(workspace.image)")
        }

        /// Retries `attempt` until it returns a value, for up to two minutes (a ceiling for
        /// "never", not a speed check).
        static func eventually<T>(_ attempt: () async throws -> T?) async throws -> T {
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                if let value = try await attempt() { return value }
                try await Task.sleep(for: .milliseconds(500))
            }
            throw E2EError("gave up after two minutes")
        }
    }
}

/// Collects watch updates so a test can wait for one to appear.
actor UpdateRecorder {
    private(set) var all: [PodmanWatchUpdate] = []

    func add(_ update: PodmanWatchUpdate) { all.append(update) }

    /// Polls until `find` returns a value, for up to two minutes (a ceiling for "never came").
    func waitFor<T: Sendable>(_ find: ([PodmanWatchUpdate]) -> T?) async throws -> T {
        for _ in 0..<1200 {
            if let found = find(all) { return found }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw E2EError("the expected watch update never came; got \(all.count) updates")
    }
}

extension PodConsoleWorkspace {
    /// Runs a subcommand of the real binary with this workspace's config against `remote`.
    func remoteCommand(_ arguments: [String], remote: RemotePodman) async throws -> ProcessResult {
        let environment = xdgEnvironment.merging(remote.variables) { _, new in new }
        return try await ProcessRunner(environment: environment).run(try Harness.binary(), arguments)
    }
}
