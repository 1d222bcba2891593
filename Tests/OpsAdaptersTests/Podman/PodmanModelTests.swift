import Foundation
import OpsAdapters
import OpsCore
import Testing

/// Pure parts: versions, build progress, env files, planning, tags, /proc parsing, errors.
@Suite(.tags(.podman))
struct PodmanModelTests {
    @Test func parsesVersions() {
        #expect(PodmanVersion(versionOutput: "podman version 4.3.1\n") == PodmanVersion(major: 4, minor: 3, patch: 1))
        #expect(PodmanVersion(versionOutput: "podman version 5.2.0-dev") == PodmanVersion(major: 5, minor: 2, patch: 0))
        #expect(PodmanVersion(versionOutput: "podman version 3.4") == PodmanVersion(major: 3, minor: 4, patch: 0))
        #expect(PodmanVersion(versionOutput: "nonsense") == nil)
        #expect(PodmanVersion(major: 3, minor: 4, patch: 4) < PodmanClient.minimumVersion)
        #expect(PodmanFailure.tooOld(version: "3.4.4", minimum: "4.0.0").message.contains("too old"))
    }

    @Test func parsesBuildSteps() {
        #expect(PodmanBuildProgress(line: "STEP 3/8: RUN [\"x\"]") == PodmanBuildProgress(step: 3, total: 8, instruction: "RUN [\"x\"]"))
        #expect(PodmanBuildProgress(line: "STEP 1/1: FROM scratch")?.fraction == 0.5)
        #expect(PodmanBuildProgress(line: "--> 1be9f4e6385") == nil)
        #expect(PodmanBuildProgress(line: "STEP 9/8: RUN x") == nil)
        #expect(PodmanBuildProgress(line: "STEP x/8: RUN x") == nil)
    }

    @Test func envFileParsesPodmanStyleLines() throws {
        let file = try EnvFile.parse("# comment\n\nA=1\n  B=\"quoted\"\r\nBARE\nEMPTY=\nA=2\nURL=x=y\n", path: "s.env")
        #expect(file.keys == ["A", "B", "BARE", "EMPTY", "URL"])
        #expect(file.value(for: "A") == "2")
        #expect(file.value(for: "B") == "\"quoted\"")
        #expect(file.value(for: "BARE") == nil)
        #expect(file.value(for: "EMPTY") == "")
        #expect(file.value(for: "URL") == "x=y")
        #expect(file.entries.first?.line == 3)
    }

    @Test(arguments: [
        ("A=1\n=2\n", 2, "missing variable name"),
        ("A=1\nB = 2\n", 2, "no spaces"),
        ("# x\n1A=3\n", 2, "not a variable name"),
        ("\n\nexport K=1\n", 3, "export"),
        ("A-B=1", 1, "not a variable name"),
    ])
    func envFileNamesTheBadLine(text: String, line: Int, reason: String) {
        do {
            _ = try EnvFile.parse(text, path: "secrets.env")
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.line == line)
            #expect(error.message.hasPrefix("secrets.env:\(line): "))
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test func planUsesSettingsAndLabels() {
        var settings = Settings()
        settings.pod = "p"
        settings.bindAddress = "::1"
        settings.port = 14999
        settings.environment = ["B": "2", "A": "1"]
        let plan = BringUpPlanner.plan(settings: settings, envFile: "/s.env", options: PodmanDeployOptions(extraLabels: ["t": "x"], stopTimeout: 3))
        #expect(plan.publish == "[::1]:14999:4096")
        #expect(plan.volumes.map(\.name) == ["p-opencode-data", "p-falkordb-data", "p-valkey-data", "p-backup-state"])
        #expect(plan.container(role: .opencode)?.mounts.contains(PodmanMount(volume: "p-backup-state", path: "/var/lib/opencode-backup")) == true)
        #expect(plan.labels == ["t": "x", PodmanLabels.managed: "true", PodmanLabels.pod: "p"])
        let valkey = plan.container(role: .valkey)
        #expect(valkey?.entrypoint == "/bin/sh")
        #expect(valkey?.arguments.suffix(3) == ["valkey-server", "--port", "6380"])
        #expect(valkey?.image == settings.valkeyImage)
        #expect(valkey?.envFile == nil)
        let opencode = try! #require(plan.container(role: .opencode))
        let arguments = BringUpPlanner.containerCreateArguments(opencode, pod: "p", environmentFile: "/tmp/x/config.env")
        #expect(arguments.starts(with: ["create", "--pod", "p", "--name", "p-opencode", "--stop-timeout", "3", "--log-opt", "max-size=50m"]))
        // The secrets file, then the config's file: podman lets the later one win.
        let envFiles = arguments.indices.filter { arguments[$0] == "--env-file" }.map { arguments[$0 + 1] }
        #expect(envFiles == ["/s.env", "/tmp/x/config.env"])
        #expect(!arguments.contains("--env"))
        #expect(!arguments.contains { $0.contains("A=1") || $0.contains("B=2") })
        #expect(arguments.suffix(2) == ["--", settings.image])
        let valkeySpec = try! #require(valkey)
        let valkeyArguments = BringUpPlanner.containerCreateArguments(valkeySpec, pod: "p")
        #expect(Array(valkeyArguments.suffix(valkeySpec.arguments.count + 2)) == ["--", settings.valkeyImage] + valkeySpec.arguments)
        #expect(BringUpPlanner.podCreateArguments(plan).suffix(2) == ["--publish", "[::1]:14999:4096"])
    }

    @Test func previousTagKeepsTheRepository() {
        #expect(PodmanRebuilder.previousTag(for: "localhost/opencode-server:latest") == "localhost/opencode-server:previous")
        #expect(PodmanRebuilder.previousTag(for: "localhost:5000/team/oc") == "localhost:5000/team/oc:previous")
        #expect(PodmanRebuilder.previousTag(for: "oc@sha256:abc") == "oc:previous")
    }

    @Test func findsListeningInodesInProcNetTCP() {
        let table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:380E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0
           1: 0100007F:380E 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 654321 1 0000000000000000 20 4 30 10 -1
           2: 00000000:1000 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0
        """
        #expect(PortProbe.listeningInodes(procNetTCP: table, port: 14350) == ["123456"])
        #expect(PortProbe.listeningInodes(procNetTCP: table, port: 4096) == ["777"])
        #expect(PortProbe.listeningInodes(procNetTCP: table, port: 80).isEmpty)
    }

    @Test func picksPodmansErrorLine() {
        let stderr = """
        time="2026-11-27T11:05:36Z" level=error msg="unable to get systemd connection to add healthchecks"
        Error: no container with name or ID "x" found: no such container
        """
        #expect(PodmanClient.lastErrorLine(stderr) == "no container with name or ID \"x\" found: no such container")
        #expect(PodmanClient.lastErrorLine("time=\"x\" level=fatal msg=\"boom\"") == "boom")
        let denied = PodmanClient.failure(arguments: ["ps"], result: ProcessResult(exitCode: 125, stdout: Data(), stderr: Data("Error: open /run/x: permission denied".utf8)))
        #expect(denied == .permissionDenied(detail: "open /run/x: permission denied"))
    }

    @Test func buildRecordsRoundTrip() throws {
        let directory = NSTemporaryDirectory() + "ooptest-history-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let history = PodmanBuildHistory(stateDirectory: directory)
        let start = Date(timeIntervalSince1970: 1_795_777_536)
        try history.append(PodmanBuildRecord(startedAt: start, tag: "t", outcome: .succeeded(imageID: "abc", tag: "t", duration: 12.5)))
        try history.append(PodmanBuildRecord(startedAt: start, tag: "t", outcome: .failed(exitCode: 1, message: "bad", duration: 1)))
        let records = history.records()
        #expect(records.map(\.result) == [.succeeded, .failed])
        #expect(records[0].imageID == "abc")
        #expect(records[0].duration == 12.5)
        #expect(records[0].startedAt == start)
        #expect(records[1].message == "bad")
        #expect(history.records(limit: 1).map(\.result) == [.failed])
    }
}

/// The config's environment as the private env file `up` hands podman.
@Suite(.tags(.podman)) struct ConfigEnvironmentFileTests {
    @Test func fileIsPrivateHoldsTheValuesAndIsRemoved() throws {
        let path = try #require(try ConfigEnvironmentFile.write(["GITHUB_PAT": "ghp_x=y", "A": " spaced "]))
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "A= spaced \nGITHUB_PAT=ghp_x=y\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int == 0o700)
        ConfigEnvironmentFile.remove(path)
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(try ConfigEnvironmentFile.write([:]) == nil)
    }

    @Test func lineBreakInAValueIsRefusedWithoutEchoingIt() {
        do {
            _ = try ConfigEnvironmentFile.write(["TOKEN": "abc\nEVIL=1"])
            Issue.record("a value with a line break was written")
        } catch {
            #expect(error.message.contains("environment.TOKEN"))
            #expect(!error.message.contains("abc"))
        }
    }

    /// `falkordb_image: "--help"` went to podman as an option; now `up` refuses it by name.
    @Test func optionLikeImageIsRefusedNamingTheField() throws {
        var settings = Settings()
        settings.falkordbImage = "--help"
        let deployer = PodmanDeployer(client: PodmanClient(settings: settings), settings: settings, secrets: SecretsFileCheck(path: "/nonexistent/secrets.env", isDefault: true))
        do {
            _ = try deployer.plan()
            Issue.record("planned with falkordb_image --help")
        } catch {
            #expect(error.message.hasPrefix("config.yaml falkordb_image: \"--help\" starts with '-'"), "\(error.message)")
        }
    }
}
