import Foundation
import OpsAdapters
import OpsCore
import Testing

@Suite("OpenCode HTTP probe against a local server", .tags(.probes))
struct OpenCodeProbeTests {
    /// A ceiling that only tells an answer from a hang: a loaded machine can take seconds.
    let generous = ProbeSchedule(interval: 10, timeout: 120)

    func probe(_ base: URL, _ scenario: String, environment: [String: String] = [:],
               schedule: ProbeSchedule? = nil) -> OpenCodeProbe {
        OpenCodeProbe(baseURL: base.appendingPathComponent(scenario), environment: environment, schedule: schedule ?? generous)
    }

    @Test func healthyServerIsOK() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "ok").check()
            #expect(result.status == .ok)
            #expect(result.probe == .opencode)
            #expect(result.detail.contains("HTTP 200 /global/health"))
            #expect(result.detail.contains("1.18.33"))
            #expect(result.error == nil)
            let latency = try #require(result.latency)
            #expect(latency > 0)
        }
    }

    @Test func serverReportingUnhealthyIsFailing() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "unhealthy").check()
            #expect(result.status == .failing)
            #expect(result.error?.contains("unhealthy") == true)
        }
    }

    @Test func slowAnswerPastTheTimeoutFailsAsATimeout() async throws {
        try await ProbeFixtures.withFakeServices(slowSeconds: 15) { base in
            // The server answers after 15 s, and that answer would pass: a timeout failure means the
            // probe gave up at its own 2 s limit. How soon is left to the probe benchmark.
            let result = await probe(base, "slow", schedule: ProbeSchedule(interval: 10, timeout: 2)).check()
            #expect(result.status == .failing)
            #expect(result.error == "timed out after 2 s")
        }
    }

    @Test func unauthorizedWithoutCredentialsSaysAPasswordIsNeeded() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "auth").check()
            #expect(result.status == .failing)
            #expect(result.detail == "HTTP 401 /global/health")
            #expect(result.error?.contains("OPENCODE_SERVER_PASSWORD") == true)
        }
    }

    @Test func correctCredentialsPassBasicAuth() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let environment = ["OPENCODE_SERVER_PASSWORD": ProbeFixtures.openCodePassword]
            let result = await probe(base, "auth", environment: environment).check()
            #expect(result.status == .ok)
            try ProbeFixtures.expectNoSecrets(result, [ProbeFixtures.openCodePassword])
        }
    }

    @Test func wrongCredentialsAreRejectedWithoutShowingThem() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let wrong = "wrong-password-5d1e"
            let result = await probe(base, "auth", environment: ["OPENCODE_SERVER_PASSWORD": wrong]).check()
            #expect(result.status == .failing)
            #expect(result.error?.contains("credentials rejected") == true)
            try ProbeFixtures.expectNoSecrets(result, [wrong])
            let described = String(describing: probe(base, "auth", environment: ["OPENCODE_SERVER_PASSWORD": wrong]))
            #expect(!described.contains(wrong))
        }
    }

    @Test func customUserNameIsUsed() async throws {
        try await ProbeFixtures.withFakeServices { base in
            // The fixture expects user "opencode"; another user must be rejected.
            let environment = ["OPENCODE_SERVER_PASSWORD": ProbeFixtures.openCodePassword, "OPENCODE_SERVER_USERNAME": "admin"]
            let result = await probe(base, "auth", environment: environment).check()
            #expect(result.status == .failing)
        }
    }

    @Test func serverErrorIsFailing() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "error").check()
            #expect(result.status == .failing)
            #expect(result.error == "HTTP 500 from /global/health")
        }
    }

    @Test func connectionRefusedIsFailing() async {
        let port = ProbeFixtures.closedPort()
        let probe = OpenCodeProbe(baseURL: URL(string: "http://127.0.0.1:\(port)")!, environment: [:], schedule: generous)
        let result = await probe.check()
        #expect(result.status == .failing)
        #expect(result.error == "connection refused at 127.0.0.1:\(port)")
    }

    @Test func garbageBodyIsDegraded() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "garbage").check()
            #expect(result.status == .degraded)
            #expect(result.error == "unexpected response body from /global/health")
        }
    }

    @Test func olderServerFallsBackToConfigAndNeverKeepsItsBody() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await probe(base, "old").check()
            #expect(result.status == .ok)
            #expect(result.detail == "HTTP 200 /config")
            try ProbeFixtures.expectNoSecrets(result, [ProbeFixtures.configSecret, "apiKey"])
        }
    }
}

@Suite("HTTP transports", .tags(.probes))
struct HTTPTransportTests {
    /// URLSession carries B2's HTTPS call: a 401 must come back as an answer. Held for a
    /// credential until the timeout, the request would throw instead of answering.
    @Test func urlSessionDeliversA401Challenge() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let response = try await URLSessionTransport().get(HTTPRequest(url: base.appendingPathComponent("auth/global/health"), timeout: 15))
            #expect(response.statusCode == 401)
        }
    }

    @Test func socketClientReadsBodiesAndStatus() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let transport = SocketHTTPTransport()
            let ok = try await transport.get(HTTPRequest(url: base.appendingPathComponent("ok/global/health"), timeout: 2))
            #expect(ok.statusCode == 200)
            #expect(String(decoding: ok.body, as: UTF8.self) == #"{"healthy": true, "version": "1.18.33"}"#)
            let error = try await transport.get(HTTPRequest(url: base.appendingPathComponent("error/x"), timeout: 2))
            #expect(error.statusCode == 500)
            #expect(String(decoding: error.body, as: UTF8.self) == "internal error")
        }
    }
}
