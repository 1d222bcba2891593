import Foundation
import OpsAdapters
import OpsCore
import Testing

@Suite("Datadog agent probe", .tags(.probes))
struct DatadogAgentProbeTests {
    /// A ceiling that only tells an answer from a hang on a loaded machine.
    let schedule = ProbeSchedule(interval: 30, timeout: 120)

    @Test func noSettingsIsNotConfiguredNotAFailure() async {
        let result = await DatadogAgentProbe(environment: ["FALKORDB_HOST": "localhost"], schedule: schedule).check()
        #expect(result.status == .notConfigured)
        #expect(result.latency == nil)
        #expect(!result.status.isFailure)
    }

    @Test func defaultsToLocalhost8126OnceAnySettingIsPresent() {
        let probe = DatadogAgentProbe(environment: ["DD_API_KEY": "dd-secret"], schedule: schedule)
        #expect(probe.infoURL?.absoluteString == "http://localhost:8126/info")
        let custom = DatadogAgentProbe(environment: ["DD_AGENT_HOST": "agent.local", "DD_TRACE_AGENT_PORT": "9126"], schedule: schedule)
        #expect(custom.infoURL?.absoluteString == "http://agent.local:9126/info")
        let url = DatadogAgentProbe(environment: ["DD_TRACE_AGENT_URL": "http://10.0.0.5:8126", "DD_AGENT_HOST": "ignored"], schedule: schedule)
        #expect(url.infoURL?.absoluteString == "http://10.0.0.5:8126/info")
    }

    @Test func answeringAgentIsOK() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let environment = ["DD_TRACE_AGENT_URL": base.appendingPathComponent("dd").absoluteString, "DD_API_KEY": "dd-api-secret-1"]
            let result = await DatadogAgentProbe(environment: environment, schedule: schedule).check()
            #expect(result.status == .ok)
            #expect(result.detail.contains("agent 7.50.3"))
            try ProbeFixtures.expectNoSecrets(result, ["dd-api-secret-1"])
        }
    }

    @Test func agentNotRunningIsFailing() async {
        let port = ProbeFixtures.closedPort()
        let result = await DatadogAgentProbe(environment: ["DD_AGENT_HOST": "127.0.0.1", "DD_TRACE_AGENT_PORT": "\(port)"], schedule: schedule).check()
        #expect(result.status == .failing)
        #expect(result.error == "connection refused at 127.0.0.1:\(port)")
    }

    @Test func wrongEndpointIsFailing() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let environment = ["DD_TRACE_AGENT_URL": base.appendingPathComponent("nothing").absoluteString]
            let result = await DatadogAgentProbe(environment: environment, schedule: schedule).check()
            #expect(result.status == .failing)
            #expect(result.error == "agent answered HTTP 404")
        }
    }
}

@Suite("B2 probes against a local B2 stand-in", .tags(.probes))
struct B2ProbeTests {
    /// A ceiling that only tells an answer from a hang on a loaded machine.
    let schedule = ProbeSchedule(interval: nil, timeout: 120)
    var credentials: [String: String] {
        ["B2_APPLICATION_KEY_ID": ProbeFixtures.b2KeyID, "B2_APPLICATION_KEY": ProbeFixtures.b2Key, "B2_BUCKET": "ops-backups"]
    }

    @Test func presenceCheck() async throws {
        let all = await B2CredentialsProbe(environment: credentials).check()
        #expect(all.status == .ok)
        try ProbeFixtures.expectNoSecrets(all, [ProbeFixtures.b2KeyID, ProbeFixtures.b2Key, "ops-backups"])

        let none = await B2CredentialsProbe(environment: ["B2_BUCKET": ""]).check()
        #expect(none.status == .notConfigured)

        let partial = await B2CredentialsProbe(environment: ["B2_APPLICATION_KEY_ID": ProbeFixtures.b2KeyID]).check()
        #expect(partial.status == .failing)
        #expect(partial.error == "missing B2_APPLICATION_KEY, B2_BUCKET")
        try ProbeFixtures.expectNoSecrets(partial, [ProbeFixtures.b2KeyID])
    }

    func authorize(_ base: URL, _ scenario: String, _ environment: [String: String]) async -> ProbeResult {
        await B2AuthorizeProbe(environment: environment, endpoint: base.appendingPathComponent(scenario), schedule: schedule).check()
    }

    @Test func authorizesWithTheRealCallShape() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await authorize(base, "b2ok", credentials)
            #expect(result.status == .ok)
            #expect(result.detail == "authorized, bucket allowed")
            try ProbeFixtures.expectNoSecrets(result, [ProbeFixtures.b2KeyID, ProbeFixtures.b2Key, "4_fixture_token_never_shown"])
        }
    }

    @Test func rejectedKeyIsFailingWithB2sCode() async throws {
        try await ProbeFixtures.withFakeServices { base in
            var wrong = credentials
            wrong["B2_APPLICATION_KEY"] = "K001wrongkey"
            let result = await authorize(base, "b2ok", wrong)
            #expect(result.status == .failing)
            #expect(result.error == "credentials rejected: HTTP 401 (unauthorized)")
            try ProbeFixtures.expectNoSecrets(result, ["K001wrongkey", ProbeFixtures.b2KeyID])
        }
    }

    @Test func keyRestrictedToAnotherBucketIsFailing() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await authorize(base, "b2other", credentials)
            #expect(result.status == .failing)
            #expect(result.error == "the key is restricted to other buckets than B2_BUCKET")
        }
    }

    @Test func readOnlyKeyIsDegraded() async throws {
        try await ProbeFixtures.withFakeServices { base in
            let result = await authorize(base, "b2readonly", credentials)
            #expect(result.status == .degraded)
            #expect(result.error == "the key lacks writeFiles")
        }
    }

    @Test func garbageAnswerIsDegraded() async throws {
        try await ProbeFixtures.withFakeServices { base in
            // The garbage scenario answers 200 with a body that is not JSON.
            let result = await authorize(base, "garbage", credentials)
            #expect(result.status == .degraded)
        }
    }

    @Test func unreachableEndpointIsFailing() async {
        let port = ProbeFixtures.closedPort()
        let result = await B2AuthorizeProbe(environment: credentials, endpoint: URL(string: "http://127.0.0.1:\(port)")!, schedule: schedule).check()
        #expect(result.status == .failing)
        #expect(result.error?.contains("connection refused") == true)
    }

    @Test func withoutCredentialsNothingIsSent() async {
        let result = await B2AuthorizeProbe(environment: [:], endpoint: URL(string: "http://127.0.0.1:1")!, schedule: schedule).check()
        #expect(result.status == .notConfigured)
        #expect(result.latency == nil)
    }
}
