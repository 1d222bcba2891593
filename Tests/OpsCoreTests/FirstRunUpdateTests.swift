import Testing
@testable import OpsCore

/// The first-run screen and the Environment panel's view of features that are off.
@Suite struct FirstRunUpdateTests {
    func firstRun() -> AppState {
        var state = AppState()
        state.secretsFile = "/cfg/opencode-ops/secrets.env"
        state.hasSecretsFile = false
        state.overlay = .firstRun
        return state
    }

    @Test func onlyTheScreensOwnKeysWork() {
        var (state, effects) = update(firstRun(), .key(.character("2")))
        #expect(state.focus == .health && state.overlay == .firstRun && effects.isEmpty)
        (state, effects) = update(state, .key(.character("u")))
        #expect(effects.isEmpty, "up ran behind the first-run screen")
        (state, effects) = update(state, .key(.character("i")))
        #expect(effects == [.health(.writeSecrets(path: "/cfg/opencode-ops/secrets.env"))])
        state = update(state, .health(.secretsWritten(path: "/cfg/opencode-ops/secrets.env", generated: ["OPENCODE_SERVER_PASSWORD"]))).0
        #expect(state.overlay == nil)
        #expect(state.hasSecretsFile)
        #expect(state.messages.last?.hasPrefix("wrote /cfg/opencode-ops/secrets.env") == true)
        // Written once: `i` never asks for a second file.
        (state, effects) = update(state, .key(.character("i")))
        #expect(effects.isEmpty)
        #expect(state.messages.last?.contains("--force") == true)
    }

    @Test func escapeGoesOnWithoutAFileAndReadonlyRefusesToWrite() {
        let state = update(firstRun(), .key(.escape)).0
        #expect(state.overlay == nil)
        var readonly = firstRun()
        readonly.settings.readonly = true
        let (after, effects) = update(readonly, .key(.character("i")))
        #expect(effects.isEmpty)
        #expect(after.messages.last?.contains("read-only") == true)
    }

    private func entries(_ values: [String: String]) -> [EnvironmentEntry] {
        let layers = EnvLayers(imageDefaults: [:], envFile: values, config: [:])
        return EnvironmentRows.make(rows: EnvironmentModel.rows(layers), origin: .containerfile, settings: Settings())
    }

    @Test func gapsNameTheFeaturesThatAreOff() {
        var settings = Settings()
        let none = FeatureGaps.gaps(entries([:]), settings: settings)
        #expect(none.map(\.text) == [
            "server open: no OPENCODE_SERVER_PASSWORD",
            "backups off: no B2 keys",
            "Graphiti memory off: no OPENAI_API_KEY",
        ])
        #expect(none.allSatisfy { !$0.isSevere })
        settings.bindAddress = "0.0.0.0"
        #expect(FeatureGaps.gaps(entries([:]), settings: settings).first?.isSevere == true)
        let full = entries([
            "OPENCODE_SERVER_PASSWORD": "x", "B2_APPLICATION_KEY_ID": "k", "B2_APPLICATION_KEY": "s", "B2_BUCKET": "b",
            "OPENAI_API_KEY": "o",
        ])
        #expect(FeatureGaps.gaps(full, settings: settings).isEmpty)
        #expect(FeatureGaps.gaps(entries(["BACKUP_REMOTE": "local:/x", "OPENCODE_SERVER_PASSWORD": "x", "OPENAI_API_KEY": "o"]), settings: settings).isEmpty)
    }
}
