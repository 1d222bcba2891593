import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// The console against real podman under tmux: the pod is up, `b` and `y` rebuild the OpenCode
    /// image, the build steps stream into the Build & Logs panel, and the container is replaced.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(5)))
    struct PodConsoleEndToEndTests {
        @Test func rebuildFromTheConsoleReplacesTheContainer() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "e2e", port: 14500, run)
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            #expect(up.succeeded, "up failed: \(up.stderrText)")
            let before = try await workspace.inspect(["container", "inspect", "--format", "{{.Id}} {{.Image}}", workspace.opencodeContainer])
            // A change, so the rebuild makes a new image rather than the cached one.
            try workspace.changeContainerfile()

            try await TmuxSession.with(width: 80, height: 24, command: try workspace.consoleCommand()) { tmux in
                try await tmux.waitFor("pod \(workspace.pod) ● running", timeout: 20)
                try await tmux.send("b")
                let confirm = try await tmux.waitFor("Rebuild and replace OpenCode?")
                #expect(confirm.contains(workspace.opencodeContainer), "the confirmation does not name the container")
                try await tmux.send("y")
                let building = try await tmux.waitFor("STEP ", timeout: 30)
                #expect(building.contains("[build]"))
                let done = try await tmux.waitFor("healthy: \(workspace.opencodeContainer)", timeout: 120)

                let after = try await workspace.inspect(["container", "inspect", "--format", "{{.Id}} {{.Image}}", workspace.opencodeContainer])
                #expect(after != before, "container not replaced")
                let newImage = try await workspace.inspect(["image", "inspect", "--format", "{{.Id}}", workspace.image])
                #expect(after.hasSuffix(newImage), "the new container does not run the new image")
                #expect(done.contains("healthy: \(workspace.opencodeContainer)"))
                // The result names the new image (a long message wraps in the list).
                try await tmux.openMessages(showing: String(newImage.prefix(12)))
                try await tmux.send("Escape")
                #expect(try await workspace.inspect(["image", "inspect", "--format", "{{.Id}}", workspace.image.replacingOccurrences(of: ":latest", with: ":previous")])
                    == String(before.split(separator: " ")[1]))
                // The replacement shows in the header without polling: the events stream drove it.
                try await tmux.waitFor("opencode ● healthy", timeout: 20)
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }
        }
    }
}

/// A scratch build context, config and state for a console driving its own pod; every
/// podman object is named `ooconsole-<name>…`; its images are labelled
/// `opencode-ops-test=console-<pod>`, so workspaces of tests running at the same time never
/// remove each other's images.
struct PodConsoleWorkspace: Sendable {
    var label: String { "opencode-ops-test=console-\(pod)" }
    static let sidecarImage = "localhost/opencode-ops-test/sidecar-standin:2"
    static let repoRoot = TestPodman.repoRoot
    static let environment = TestPodman.environment
    static var shouldRun: Bool { TestTools.shouldRun("podman", "tmux", "busybox") }

    /// Runs `body` in a fresh workspace, with the podman objects of an earlier run removed
    /// before and this run's removed after, whether it passed or threw.
    static func withWorkspace(name: String, port: Int, _ body: (PodConsoleWorkspace) async throws -> Void) async throws {
        try await Harness.requireTmux()
        let workspace = try await make(name: name, port: port)
        await workspace.clean()
        do {
            try await body(workspace)
        } catch {
            await workspace.clean()
            throw error
        }
        await workspace.clean()
        try? FileManager.default.removeItem(atPath: workspace.directory)
    }

    let directory: String
    let pod: String
    let port: Int
    /// True when the XDG config and state folders start empty: the settings live outside them
    /// (OPENCODE_OPS_CONFIG) and the secrets file is the one `init` writes.
    var firstRun = false
    var image: String { "localhost/\(pod)/opencode:latest" }
    var opencodeContainer: String { "\(pod)-opencode" }
    var context: String { directory + "/context" }
    var configFile: String { directory + (firstRun ? "/settings/config.yaml" : "/config/opencode-ops/config.yaml") }
    var secretsFile: String { directory + "/config/opencode-ops/secrets.env" }

    static func make(name: String, port: Int, firstRun: Bool = false) async throws -> PodConsoleWorkspace {
        let directory = NSTemporaryDirectory() + "ooconsole-\(name)-\(UUID().uuidString.prefix(8))"
        let workspace = PodConsoleWorkspace(directory: directory, pod: "ooconsole-\(name)", port: port, firstRun: firstRun)
        let files = FileManager.default
        for folder in ["context", firstRun ? "settings" : "config/opencode-ops", "state", "config"] {
            try files.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: try ProcessRunner().locate("busybox").path, toPath: workspace.context + "/busybox")
        try workspace.containerfile.write(toFile: workspace.context + "/Containerfile", atomically: true, encoding: .utf8)
        if !firstRun {
            try "OPS_TEST_SECRET=s3cret\nOPENCODE_SERVER_PASSWORD=test-server-pw\n".writeSecrets(to: workspace.secretsFile)
        }
        // On a first run env_file keeps its default, the file `init` writes.
        let config = """
        pod: \(workspace.pod)
        image: \(workspace.image)
        falkordb_image: \(sidecarImage)
        valkey_image: \(sidecarImage)
        port: \(port)
        bind_address: 127.0.0.1
        build_context: \(workspace.context)
        \(firstRun ? "" : "env_file: \(workspace.secretsFile)")

        """
        try config.write(toFile: workspace.configFile, atomically: true, encoding: .utf8)
        let sidecar = try await podman(["image", "exists", sidecarImage])
        if sidecar.exitCode != 0 {
            let setup = try await ProcessRunner(environment: environment).run("bash", [repoRoot + "/Tests/podman/setup.sh"])
            guard setup.succeeded else { throw E2EError("sidecar stand-in: \(setup.stderrText)") }
        }
        return workspace
    }

    /// The OpenCode stand-in: busybox httpd with a health check. SIGKILL stops it at once
    /// (httpd as PID 1 ignores SIGTERM), so a replacement does not wait out the stop timeout.
    var containerfile: String {
        """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        RUN mkdir -p /www/global /root/.local/share/opencode && echo '{"ok":true}' > /www/config
        LABEL \(label)
        STOPSIGNAL SIGKILL
        EXPOSE 4096
        HEALTHCHECK --interval=1s --timeout=2s --start-period=3s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:4096/config || exit 1
        ENTRYPOINT ["/bin/httpd", "-f", "-p", "4096", "-h", "/www"]

        """
    }

    /// Sets variables in the secrets file as an operator edits it: a template line `# NAME=` or
    /// an existing `NAME=` line takes the value, any other name is added at the end.
    func setSecrets(_ values: KeyValuePairs<String, String>) throws {
        var lines = try String(contentsOfFile: secretsFile, encoding: .utf8).components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        for (name, value) in values {
            if let index = lines.firstIndex(where: { $0.hasPrefix("\(name)=") || $0.hasPrefix("# \(name)=") }) {
                lines[index] = "\(name)=\(value)"
            } else {
                lines.append("\(name)=\(value)")
            }
        }
        try (lines.joined(separator: "\n") + "\n").writeSecrets(to: secretsFile)
    }

    func changeContainerfile() throws {
        try (containerfile + "RUN echo \(UUID().uuidString) > /www/build\n")
            .write(toFile: context + "/Containerfile", atomically: true, encoding: .utf8)
    }

    func buildInitialImage() async throws {
        let result = try await Self.podman(["build", "--format", "docker", "--label", label, "--tag", image, context])
        guard result.succeeded else { throw E2EError("initial build: \(result.stderrText)") }
    }

    var xdgEnvironment: [String: String] {
        var environment = Self.environment
        environment["XDG_CONFIG_HOME"] = directory + "/config"
        environment["XDG_STATE_HOME"] = directory + "/state"
        if firstRun { environment["OPENCODE_OPS_CONFIG"] = configFile } else { environment.removeValue(forKey: "OPENCODE_OPS_CONFIG") }
        return environment
    }

    /// Runs a subcommand of the real binary with this workspace's config.
    func opsCommand(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner(environment: xdgEnvironment).run(try Harness.binary(), arguments)
    }

    /// The shell line tmux runs: the console, then its exit code where the test can read it; or,
    /// with `pidFile`, the console in the shell's place with its pid written there first.
    /// The shell line tmux runs; `arguments` go to the console (e.g. `--readonly`), `variables`
    /// to its environment (e.g. `CONTAINER_HOST`; values without spaces or quotes).
    func consoleCommand(pidFile: String? = nil, arguments: String = "", variables: [String: String] = [:]) throws -> String {
        let environment = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=\(directory)/config "
            + "XDG_STATE_HOME=\(directory)/state CONTAINERS_CONF=\(TestPodman.containersConf)"
            + (firstRun ? " OPENCODE_OPS_CONFIG=\(configFile)" : "")
            + variables.keys.sorted().map { " \($0)=\(variables[$0] ?? "")" }.joined()
        let binary = try Harness.binary() + (arguments.isEmpty ? "" : " " + arguments)
        if let pidFile { return "cd \(directory) && echo $$ > \(pidFile) && exec env \(environment) \(binary)" }
        return "cd \(directory) && env \(environment) \(binary); echo EXIT=$?; sleep 600"
    }

    func inspect(_ arguments: [String]) async throws -> String {
        let result = try await Self.podman(arguments)
        guard result.succeeded else { throw E2EError("podman \(arguments.joined(separator: " ")): \(result.stderrText)") }
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    static func podman(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner(environment: environment).run("podman", arguments)
    }

    /// Removes the pod, its volumes and images, by name and by label.
    func clean() async {
        _ = try? await Self.podman(["pod", "rm", "--force", "--time", "0", pod])
        for role in ["opencode", "falkordb", "valkey"] {
            _ = try? await Self.podman(["rm", "--force", "--time", "0", "\(pod)-\(role)"])
            _ = try? await Self.podman(["rm", "--force", "--time", "0", "\(pod)-\(role)-replaced"])
            _ = try? await Self.podman(["volume", "rm", "--force", "\(pod)-\(role)-data"])
        }
        _ = try? await Self.podman(["volume", "rm", "--force", "\(pod)-backup-state"])
        _ = try? await Self.podman(["rmi", "--force", image, image.replacingOccurrences(of: ":latest", with: ":previous")])
        if let images = try? await Self.podman(["images", "--quiet", "--filter", "label=\(label)"]) {
            for id in Set(images.stdoutText.split(separator: "\n")) { _ = try? await Self.podman(["rmi", "--force", String(id)]) }
        }
    }
}
