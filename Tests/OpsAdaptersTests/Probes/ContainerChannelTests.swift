import Foundation
import OpsAdapters
import OpsCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The long-lived channel into a container, against a real one: a Debian container with
/// redis-cli on the host network (so its localhost reaches a redis-server started here), built
/// from Tests/probes/fixtures/redis-tools.Containerfile. Each test has its own container.
@Suite("Container channel against a real container", .tags(.probes), .serialized,
       .enabled(if: PodmanTestSupport.shouldRun && ProbeFixtures.redisTestsEnabled), .timeLimit(.minutes(10)))
struct ContainerChannelTests {
    static let image = "localhost/opencode-ops-test/redis-tools:1"
    static let label = "opencode-ops-test=probes-channel"
    let schedule = ProbeSchedule(interval: 30, timeout: 5)

    @Test func manyPingsGoThroughOneExecProcess() async throws {
        try await Self.withContainer("ping") { name, channel in
            try await ProbeFixtures.withRedis { port in
                let probe = Self.valkey(port: port, channel: channel, schedule: schedule)
                var pids: Set<Int32> = []
                for _ in 0..<25 {
                    let result = await probe.check()
                    #expect(result.status == .ok, "\(result.error ?? "")")
                    #expect(result.detail == "PONG 127.0.0.1:\(port)")
                    if let pid = await channel.processID { pids.insert(pid) }
                }
                #expect(await channel.opens == 1)
                #expect(pids.count == 1)
                let found = try await Self.execProcesses(name)
                #expect(found.count == 1)
            }
            await channel.close()
            let found = try await Self.waitForNoExecProcess(name)
            #expect(found)
        }
    }

    @Test func argumentsEnvironmentOutputAndStatusArriveIntact() async throws {
        try await Self.withContainer("intact") { name, channel in
            let awkward = ["it's", "two words", "a\nb", "$HOME `id` \"q\" \\", ""]
            let echoed = try await channel.execute(["printf", "%s|", ] + awkward)
            #expect(echoed.exitCode == 0)
            #expect(echoed.stdoutText == awkward.map { $0 + "|" }.joined())

            let secret = "chan-secret-'\"\n$(x)-41"
            let said = try await channel.execute(["sh", "-c", "printf %s \"$CHANNEL_SECRET\"; printf 'to stderr\\n' >&2; exit 3"],
                                                 environment: ["CHANNEL_SECRET": secret])
            #expect(said.exitCode == 3)
            #expect(said.stdoutText == secret)
            #expect(said.stderrText == "to stderr\n")
            // The value travelled on the channel's stdin: on no command line.
            let pid = try #require(await channel.processID)
            let commandLine = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
            #expect(!commandLine.contains("chan-secret"))

            // Output bigger than a pipe's buffer, with no newline at the end, and binary bytes.
            let big = try await channel.execute(["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x; printf '\\001\\377'"])
            #expect(big.stdout.count == 300_002)
            #expect(big.stdout.suffix(2) == Data([1, 255]))

            let missing = try await channel.execute(["/no/such/program"])
            #expect(missing.exitCode == 127)
            // Still the same channel after all of that.
            #expect(await channel.opens == 1)
            _ = name
        }
    }

    @Test func aKilledChannelFailsTheNextCheckAndTheOneAfterReopens() async throws {
        try await Self.withContainer("killed") { name, channel in
            try await ProbeFixtures.withRedis { port in
                let probe = Self.valkey(port: port, channel: channel, schedule: schedule)
                #expect(await probe.check().status == .ok)
                let first = try #require(await channel.processID)
                kill(first, SIGKILL)

                let dropped = await probe.check()
                #expect(dropped.status == .failing)
                #expect(dropped.error?.contains("the exec session in \(name) ended") == true, "\(dropped.error ?? "")")

                let again = await probe.check()
                #expect(again.status == .ok, "\(again.error ?? "")")
                #expect(await channel.opens == 2)
                #expect(await channel.processID != first)
                let found = try await Self.execProcesses(name)
                #expect(found.count == 1)
            }
        }
    }

    @Test func aRestartedContainerFailsTheNextCheckAndTheOneAfterReopens() async throws {
        try await Self.withContainer("restart") { name, channel in
            try await ProbeFixtures.withRedis { port in
                let probe = Self.valkey(port: port, channel: channel, schedule: schedule)
                #expect(await probe.check().status == .ok)
                let restarted = try await PodmanTestSupport.podman(["restart", "--time", "0", "--", name])
                #expect(restarted.succeeded, "\(restarted.stderrText)")

                let dropped = await probe.check()
                #expect(dropped.status == .failing)
                #expect(dropped.error?.contains("ended") == true, "\(dropped.error ?? "")")

                let again = await probe.check()
                #expect(again.status == .ok, "\(again.error ?? "")")
                #expect(await channel.opens == 2)
            }
        }
    }

    @Test func aStuckCommandFailsWithinItsTimeoutAndTheChannelReopens() async throws {
        try await Self.withContainer("stuck") { name, channel in
            let stuck = GraphitiMemoryProbe(runner: channel.run, command: ["sleep", "600"],
                                            schedule: ProbeSchedule(interval: 60, timeout: 2))
            let result = await stuck.check()
            #expect(result.status == .failing)
            #expect(result.error == "timed out after 2 s")
            let first = await channel.opens
            #expect(first == 1)

            let next = try await channel.execute(["echo", "still here"])
            #expect(next.stdoutText == "still here\n")
            #expect(await channel.opens == 2)
            // The stuck channel's exec process was stopped, not left behind.
            let found = try await Self.waitForExecProcesses(name, count: 1)
            #expect(found)
        }
    }

    @Test func aQuickCheckDoesNotWaitForASlowBackgroundOne() async throws {
        try await Self.withContainer("lanes") { name, channel in
            let order = Order()
            let slow = Task {
                let result = try await channel.runner(background: true)(["sh", "-c", "sleep 10; echo slow"], [:])
                await order.add("slow")
                return result
            }
            // Wait until the slow one holds the channel.
            for _ in 0..<240 where await channel.processID == nil { try await Task.sleep(nanoseconds: 250_000_000) }
            try await Task.sleep(nanoseconds: 500_000_000)
            let quick = try await channel.run(["echo", "quick"], [:])
            await order.add("quick")
            #expect(quick.stdoutText == "quick\n")
            #expect(try await slow.value.stdoutText == "slow\n")
            #expect(await order.names == ["quick", "slow"])
            #expect(await channel.oneShots == 1)
            #expect(await channel.opens == 1)
            _ = name
        }
    }

    @Test func aMissingContainerAnswersAsAOneShotExecWould() async throws {
        let channel = ContainerChannel(exec: PodmanExec(container: "opschan-does-not-exist"),
                                       podmanEnvironment: PodmanTestSupport.environment)
        let result = try await channel.execute(["true"])
        #expect(result.exitCode == 125)
        #expect(result.stderrText.contains("no such container"), "\(result.stderrText)")
        await channel.close()
    }

    // MARK: helpers

    static func valkey(port: Int, channel: ContainerChannel, schedule: ProbeSchedule) -> RESPProbe {
        RESPProbe(service: .valkey, environment: ["VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": "\(port)"],
                  schedule: schedule, transport: RedisCLITransport(runner: channel.run))
    }

    /// Runs `body` with a fresh container and a channel into it; removes both afterwards.
    static func withContainer(_ name: String, _ body: (String, ContainerChannel) async throws -> Void) async throws {
        try await ensureImage()
        let container = "opschan-\(name)-\(UUID().uuidString.prefix(6).lowercased())"
        let started = try await PodmanTestSupport.podman([
            "run", "-d", "--name", container, "--label", label, "--network", "host", "--init", "--", image, "sleep", "infinity",
        ])
        try #require(started.succeeded, "\(started.stderrText)")
        let channel = ContainerChannel(exec: PodmanExec(container: container), podmanEnvironment: PodmanTestSupport.environment)
        do {
            try await body(container, channel)
        } catch {
            await channel.close()
            _ = try? await PodmanTestSupport.podman(["rm", "--force", "--time", "0", "--", container])
            throw error
        }
        await channel.close()
        _ = try? await PodmanTestSupport.podman(["rm", "--force", "--time", "0", "--", container])
    }

    static func ensureImage() async throws {
        if try await PodmanTestSupport.podman(["image", "exists", image]).succeeded { return }
        if try await !PodmanTestSupport.podman(["image", "exists", PodmanTestSupport.baseImage]).succeeded {
            let made = try await ProcessRunner(environment: PodmanTestSupport.environment)
                .run("bash", [PodmanTestSupport.repoRoot + "/Tests/Support/base-image.sh"])
            try #require(made.succeeded, "base image: \(made.stderrText)")
        }
        let fixtures = PodmanTestSupport.repoRoot + "/Tests/probes/fixtures"
        let built = try await PodmanTestSupport.podman([
            "build", "--format", "docker", "--tag", image, "--file", fixtures + "/redis-tools.Containerfile", fixtures,
        ])
        try #require(built.succeeded, "\(built.stderrText)")
    }

    /// The `podman exec` processes into `container` running now.
    static func execProcesses(_ container: String) async throws -> [String] {
        let listed = try await ProcessRunner().run("pgrep", ["-f", "podman exec -i -- \(container) "])
        return listed.stdoutText.split(separator: "\n").map(String.init)
    }

    /// Waits (up to a minute: a ceiling, not a speed check) until `count` exec processes remain.
    static func waitForExecProcesses(_ container: String, count: Int) async throws -> Bool {
        for _ in 0..<240 {
            if try await execProcesses(container).count == count { return true }
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        return false
    }

    static func waitForNoExecProcess(_ container: String) async throws -> Bool {
        try await waitForExecProcesses(container, count: 0)
    }
}

private actor Order {
    var names: [String] = []
    func add(_ name: String) { names.append(name) }
}
