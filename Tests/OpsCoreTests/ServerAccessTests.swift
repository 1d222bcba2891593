import OpsCore
import Testing

@Suite struct ServerAccessTests {
    private func settings(bind: String, allow: Bool) -> Settings {
        var settings = Settings()
        settings.bindAddress = bind
        settings.allowUnauthenticated = allow
        return settings
    }

    @Test func aPasswordIsNeededEvenOnLoopback() {
        guard case .refused(let reason) = ServerAccess.decide(settings: settings(bind: "127.0.0.1", allow: false), secrets: [:]) else {
            Issue.record("a password-less loopback server was not refused")
            return
        }
        #expect(reason.contains("OPENCODE_SERVER_PASSWORD"))
        #expect(reason.contains("opencode-ops init"))
        #expect(ServerAccess.decide(settings: settings(bind: "0.0.0.0", allow: false), secrets: ["OPENCODE_SERVER_PASSWORD": "x"]) == .protected)
    }

    @Test func consentOnlyCountsOnLoopback() {
        #expect(ServerAccess.decide(settings: settings(bind: "127.0.0.1", allow: true), secrets: [:]) == .open)
        #expect(ServerAccess.decide(settings: settings(bind: "::1", allow: true), secrets: ["OPENCODE_SERVER_PASSWORD": ""]) == .open)
        for bind in ["0.0.0.0", "192.168.1.5", "::"] {
            guard case .refused(let reason) = ServerAccess.decide(settings: settings(bind: bind, allow: true), secrets: [:]) else {
                Issue.record("\(bind) allowed without a password")
                continue
            }
            #expect(reason.contains("allow_unauthenticated is only honoured on a loopback"))
        }
    }

    @Test func databasePasswordsMustFitOnAConfigLine() {
        #expect(ServerAccess.sidecarPasswordProblem("VALKEY_PASSWORD", "Abc123xyz") == nil)
        #expect(ServerAccess.sidecarPasswordProblem("VALKEY_PASSWORD", "p@ss-w0rd!") == nil)
        for bad in ["two words", "quo\"te", "it's", "tab\there"] {
            #expect(ServerAccess.sidecarPasswordProblem("VALKEY_PASSWORD", bad)?.contains("VALKEY_PASSWORD") == true, "\(bad)")
        }
    }
}
