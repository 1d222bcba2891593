import Foundation
import OpsAdapters
import OpsCore
import Testing

/// A runner that runs the redis-cli argument array on this host, the way `PodmanExec` runs it
/// inside the OpenCode container: the same transport and parser, without podman.
private let hostRunner: CommandRunner = LocalCommand.run

@Suite("RESP probes against a real redis-server", .tags(.probes), .enabled(if: ProbeFixtures.redisTestsEnabled))
struct RESPProbeTests {
    /// A ceiling that only tells an answer from a hang: redis-cli starts slowly on a loaded machine.
    let schedule = ProbeSchedule(interval: 10, timeout: 120)

    @Test func valkeyPingOverTCP() async throws {
        try await ProbeFixtures.withRedis { port in
            let probe = RESPProbe(service: .valkey, environment: ["VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": "\(port)"], schedule: schedule)
            let result = await probe.check()
            #expect(result.status == .ok)
            #expect(result.detail == "PONG 127.0.0.1:\(port)")
            #expect(result.latency != nil)
        }
    }

    @Test func passwordIsSentWithAUTH() async throws {
        let password = "resp-fixture-secret-42"
        try await ProbeFixtures.withRedis(password: password) { port in
            let base = ["VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": "\(port)"]
            let good = await RESPProbe(service: .valkey, environment: base.merging(["VALKEY_PASSWORD": password]) { $1 }, schedule: schedule).check()
            #expect(good.status == .ok)

            let none = await RESPProbe(service: .valkey, environment: base, schedule: schedule).check()
            #expect(none.status == .failing)
            #expect(none.error == "server wants a password: set VALKEY_PASSWORD")

            let wrongPassword = "not-the-password-77"
            let wrong = await RESPProbe(service: .valkey, environment: base.merging(["VALKEY_PASSWORD": wrongPassword]) { $1 }, schedule: schedule).check()
            #expect(wrong.status == .failing)
            #expect(wrong.error?.hasPrefix("authentication failed: WRONGPASS") == true)
            for result in [good, none, wrong] {
                try ProbeFixtures.expectNoSecrets(result, [password, wrongPassword])
            }
        }
    }

    @Test func falkordbProbeSaysTheGraphModuleIsMissing() async throws {
        // Debian's redis-server has no graph module: the probe must notice, not just PING.
        try await ProbeFixtures.withRedis { port in
            let probe = RESPProbe(service: .falkordb, environment: ["FALKORDB_HOST": "127.0.0.1", "FALKORDB_PORT": "\(port)"], schedule: schedule)
            let result = await probe.check()
            #expect(result.status == .failing)
            #expect(result.error == "graph module not loaded (modules: none)")
            #expect(result.detail == "PONG 127.0.0.1:\(port)")
        }
    }

    @Test func connectionRefusedOverTCP() async {
        let port = ProbeFixtures.closedPort()
        let probe = RESPProbe(service: .valkey, environment: ["VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": "\(port)"], schedule: schedule)
        let result = await probe.check()
        #expect(result.status == .failing)
        #expect(result.error == "connection refused at 127.0.0.1:\(port)")
    }

    @Test func badPortSettingIsUnknownNotACrash() async {
        let result = await RESPProbe(service: .valkey, environment: ["VALKEY_PORT": "sixty"], schedule: schedule).check()
        #expect(result.status == .unknown)
        #expect(result.error == "VALKEY_PORT is not a port number")
    }

    @Test func rawTCPClientParsesEveryReplyKind() async throws {
        try await ProbeFixtures.withRedis { port in
            let endpoint = RESPEndpoint(host: "127.0.0.1", port: port)
            let replies = try await TCPRESPTransport().run(
                [["SET", "k", "a\r\nb"], ["GET", "k"], ["GET", "missing"], ["INCR", "n"], ["BOGUS"], ["CONFIG", "GET", "port"]],
                on: endpoint, timeout: 120
            )
            #expect(replies[0] == .simple("OK"))
            #expect(replies[1] == .bulk(Data("a\r\nb".utf8)))
            #expect(replies[2] == .bulk(nil))
            #expect(replies[3] == .integer(1))
            guard case .error(let message) = replies[4] else { Issue.record("expected an error reply"); return }
            #expect(message.hasPrefix("ERR unknown command"))
            #expect(replies[5] == .array([.bulk(Data("port".utf8)), .bulk(Data("\(port)".utf8))]))
        }
    }

    // MARK: redis-cli inside the pod (run here on the host through the same transport)

    @Test func redisCLITransportRunsBothProbes() async throws {
        let password = "cli-fixture-secret-9"
        try await ProbeFixtures.withRedis(password: password) { port in
            let transport = RedisCLITransport(runner: hostRunner)
            let environment = ["FALKORDB_HOST": "127.0.0.1", "FALKORDB_PORT": "\(port)", "FALKORDB_PASSWORD": password]
            let falkor = await RESPProbe(service: .falkordb, environment: environment, schedule: schedule, transport: transport).check()
            #expect(falkor.status == .failing)
            #expect(falkor.error == "graph module not loaded (modules: none)")

            let valkey = await RESPProbe(service: .valkey, environment: ["VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": "\(port)", "VALKEY_PASSWORD": password],
                                         schedule: schedule, transport: transport).check()
            #expect(valkey.status == .ok)

            let wrong = await RESPProbe(service: .valkey, environment: ["VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": "\(port)", "VALKEY_PASSWORD": "nope-nope"],
                                        schedule: schedule, transport: transport).check()
            #expect(wrong.status == .failing)
            #expect(wrong.error?.contains("WRONGPASS") == true)
            try ProbeFixtures.expectNoSecrets(wrong, ["nope-nope", password])
        }
    }

    @Test func redisCLIPasswordTravelsByEnvironmentNotArguments() async throws {
        let password = "never-on-argv-31"
        let seen = ArgumentsLog()
        let recording: CommandRunner = { arguments, environment in
            await seen.add(arguments, environment)
            return ProcessResult(exitCode: 0, stdout: Data("PONG\n".utf8), stderr: Data())
        }
        let exec = PodmanExec(podman: "podman", container: "opencode-server", runner: recording)
        let transport = RedisCLITransport(runner: exec.run)
        _ = try await transport.run([["PING"]], on: RESPEndpoint(host: "localhost", port: 6380, password: password), timeout: 120)
        let (arguments, environment) = try #require(await seen.calls.first)
        #expect(arguments == ["podman", "exec", "--env", "REDISCLI_AUTH", "--", "opencode-server", "redis-cli", "-h", "localhost", "-p", "6380", "--no-raw", "PING"])
        #expect(!arguments.joined(separator: " ").contains(password))
        #expect(environment == ["REDISCLI_AUTH": password])
    }

    @Test func redisCLIConnectionRefused() async throws {
        let port = ProbeFixtures.closedPort()
        let transport = RedisCLITransport(runner: hostRunner)
        let result = await RESPProbe(service: .valkey, environment: ["VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": "\(port)"],
                                     schedule: schedule, transport: transport).check()
        #expect(result.status == .failing)
        #expect(result.error?.contains("redis-cli exited with 1") == true)
        #expect(result.error?.contains("Connection refused") == true)
    }

    @Test func redisCLIOutputParsesLikeTheWireProtocol() async throws {
        // The same commands through redis-cli and through the socket must give the same values.
        try await ProbeFixtures.withRedis { port in
            let endpoint = RESPEndpoint(host: "127.0.0.1", port: port)
            let setup: [[String]] = [
                ["HSET", "h", "a b", "x\"y\nz\\"], ["RPUSH", "l", "1", "two", "3"],
                ["SET", "bin", "\u{01}é"],
            ]
            _ = try await TCPRESPTransport().run(setup, on: endpoint, timeout: 120)
            let commands: [[String]] = [
                ["PING"], ["HGETALL", "h"], ["LRANGE", "l", "0", "-1"], ["GET", "nothing"], ["HLEN", "h"],
                ["GET", "bin"], ["MODULE", "LIST"], ["LRANGE", "none", "0", "-1"], ["BOGUS", "x"],
                ["EVAL", "return {1, {2, 'x', {}}, 'y'}", "0"],
                ["EVAL", "local t = {} for i = 1, 12 do t[i] = i end return t", "0"],
            ]
            let wire = try await TCPRESPTransport().run(commands, on: endpoint, timeout: 120)
            let cli = try await RedisCLITransport(runner: hostRunner).run(commands, on: endpoint, timeout: 120)
            #expect(cli.count == wire.count)
            for (index, (viaCLI, viaWire)) in zip(cli, wire).enumerated() {
                #expect(viaCLI == viaWire, "command \(index): \(commands[index])")
            }
        }
    }
}

/// Collects what a fake runner was asked to run.
actor ArgumentsLog {
    var calls: [([String], [String: String])] = []
    func add(_ arguments: [String], _ environment: [String: String]) { calls.append((arguments, environment)) }
}

@Suite("redis-cli reply parsing", .tags(.probes))
struct RedisCLIReplyParserTests {
    @Test func moduleListWithTheGraphModule() {
        // As redis-cli --no-raw prints FalkorDB's MODULE LIST.
        let output = """
        1) 1) "name"
           2) "graph"
           3) "ver"
           4) (integer) 41400
           5) "path"
           6) "/var/lib/falkordb/bin/falkordb.so"
           7) "args"
           8) (empty array)

        """
        let value = RedisCLIReplyParser.parse(output)
        let expected: RESPValue = .array([.array([
            .bulk(Data("name".utf8)), .bulk(Data("graph".utf8)), .bulk(Data("ver".utf8)), .integer(41400),
            .bulk(Data("path".utf8)), .bulk(Data("/var/lib/falkordb/bin/falkordb.so".utf8)), .bulk(Data("args".utf8)), .array([]),
        ])])
        #expect(value == expected)
    }

    @Test func scalars() {
        #expect(RedisCLIReplyParser.parse("PONG\n") == .simple("PONG"))
        #expect(RedisCLIReplyParser.parse("(nil)\n") == .bulk(nil))
        #expect(RedisCLIReplyParser.parse("(integer) -3\n") == .integer(-3))
        #expect(RedisCLIReplyParser.parse("(error) NOAUTH Authentication required.\n") == .error("NOAUTH Authentication required."))
        #expect(RedisCLIReplyParser.parse("\"a\\x01\\\"\\n\"\n") == .bulk(Data([97, 1, 34, 10])))
        #expect(RedisCLIReplyParser.parse("") == .null)
    }

    @Test func widePaddedIndexes() {
        let lines = (1...10).map { String(format: "%2d) (integer) %d", $0, $0) }.joined(separator: "\n")
        #expect(RedisCLIReplyParser.parse(lines) == .array((1...10).map { .integer($0) }))
    }
}
