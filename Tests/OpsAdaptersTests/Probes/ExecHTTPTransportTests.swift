import Foundation
import OpsAdapters
import OpsCore
import Testing

/// The request a remote pod's OpenCode probe makes inside the container, run here as a local
/// process (the same python3 script, without podman around it) against the fixture server; the
/// podman side is covered end to end in RemotePodmanEndToEndTests.
@Suite("OpenCode probe through a command runner", .tags(.probes))
struct ExecHTTPTransportTests {
    /// A ceiling that only tells an answer from a hang: each request starts a python3, which
    /// takes seconds on a loaded machine.
    let generous = ProbeSchedule(interval: 10, timeout: 120)

    func probe(_ base: URL, _ scenario: String, environment: [String: String] = [:], seen: CommandLog = CommandLog()) -> OpenCodeProbe {
        let transport = ExecHTTPTransport { arguments, environment in
            await seen.add(arguments)
            return try await LocalCommand.run(arguments, environment)
        }
        return OpenCodeProbe(baseURL: base.appendingPathComponent(scenario), environment: environment, schedule: generous, transport: transport)
    }

    @Test func healthyServerIsOKAndTheDetailSaysHowItWasReached() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "ok").check()
            #expect(result.status == .ok, "\(result)")
            #expect(result.detail == "HTTP 200 /global/health, version 1.18.33 via podman exec")
        }
    }

    @Test func thePasswordTravelsInTheEnvironmentOnly() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let seen = CommandLog()
            let result = await probe(base, "auth", environment: ["OPENCODE_SERVER_PASSWORD": ProbeFixtures.openCodePassword], seen: seen).check()
            #expect(result.status == .ok, "\(result)")
            let arguments = await seen.all.joined().joined(separator: " ")
            let encoded = Data("opencode:\(ProbeFixtures.openCodePassword)".utf8).base64EncodedString()
            #expect(!arguments.contains(ProbeFixtures.openCodePassword) && !arguments.contains(encoded))
            #expect(!arguments.isEmpty)
            try ProbeFixtures.expectNoSecrets(result, [ProbeFixtures.openCodePassword])
        }
    }

    @Test func missingAndWrongPasswordsAreToldApart() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let missing = await probe(base, "auth").check()
            #expect(missing.status == .failing && missing.error?.contains("OPENCODE_SERVER_PASSWORD") == true, "\(missing)")
            let wrong = await probe(base, "auth", environment: ["OPENCODE_SERVER_PASSWORD": "wrong-3c1"]).check()
            #expect(wrong.status == .failing && wrong.error?.contains("credentials rejected") == true, "\(wrong)")
        }
    }

    @Test func olderServerFallsBackToConfig() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "old").check()
            #expect(result.status == .ok)
            #expect(result.detail == "HTTP 200 /config via podman exec")
        }
    }

    @Test func aClosedPortIsRefusedInsideTheContainer() async {
        let port = ProbeFixtures.closedPort()
        let result = await probe(URL(string: "http://127.0.0.1:\(port)")!, "").check()
        #expect(result.status == .failing)
        #expect(result.error == "connection refused at 127.0.0.1:\(port) in the container")
    }

    @Test func aContainerWithoutPython3SaysSo() async {
        let transport = ExecHTTPTransport { _, _ in ProcessResult(exitCode: 127, stdout: Data(), stderr: Data("executable file `python3` not found".utf8)) }
        let result = await OpenCodeProbe(baseURL: URL(string: "http://127.0.0.1:4096")!, environment: [:], schedule: generous, transport: transport).check()
        #expect(result.error == "the container has no python3 to reach 127.0.0.1:4096 with")
    }
}

actor CommandLog {
    private(set) var all: [[String]] = []
    func add(_ arguments: [String]) { all.append(arguments) }
}
