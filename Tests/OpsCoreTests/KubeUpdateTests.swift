import Testing
@testable import OpsCore

@Suite struct KubeUpdateTests {
    func settings(readonly: Bool = false) -> Settings {
        var settings = Settings()
        settings.pod = "team-opencode"
        settings.readonly = readonly
        return settings
    }

    @Test func keyKAsksForAnExportOfTheCurrentSettings() {
        let state = AppState(settings: settings())
        let (next, effects) = update(state, .key(.character("K")))
        #expect(effects == [.kube(.export(settings()))])
        #expect(next.overlay == nil)
    }

    @Test func paletteEntryRunsTheSameExport() {
        var state = AppState(settings: settings())
        state.overlay = .palette(PaletteState())
        for character in "kubernetes" {
            state = update(state, .key(.character(character))).0
        }
        let (_, effects) = update(state, .key(.enter))
        #expect(effects == [.kube(.export(settings()))])
    }

    @Test func readonlyRefusesTheExportWithAMessage() {
        let state = AppState(settings: settings(readonly: true))
        let (next, effects) = update(state, .key(.character("K")))
        #expect(effects.isEmpty)
        #expect(next.messages.last?.contains("read-only") == true)
    }

    @Test func theRunnersAnswerIsShownAsAMessage() {
        let state = AppState(settings: settings())
        let (next, _) = update(state, .message("kube: wrote stack.yaml, secret.yaml.template to /state/kube"))
        #expect(next.messages.last == "kube: wrote stack.yaml, secret.yaml.template to /state/kube")
    }
}
