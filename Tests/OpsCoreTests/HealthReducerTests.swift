import Foundation
import Testing
@testable import OpsCore

@Suite struct HealthReducerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func result(_ id: ProbeID, _ status: ProbeStatus, at seconds: Double, latency: Double? = 0.01, error: String? = nil) -> ProbeResult {
        ProbeResult(probe: id, status: status, latency: latency, detail: "d", error: error, time: t0.addingTimeInterval(seconds))
    }

    func send(_ actions: [Action], to state: AppState = AppState()) -> (AppState, [Effect]) {
        var state = state
        var effects: [Effect] = []
        for action in actions {
            let (next, produced) = update(state, action)
            state = next
            effects += produced
        }
        return (state, effects)
    }

    @Test func startedListsProbesInOrderAndDrivesRowCount() {
        let (state, effects) = send([.health(.started([.opencode, .podmanHealth, .graphiti]))])
        #expect(state.health.order == [.opencode, .podmanHealth, .graphiti])
        #expect(state.rowCount(of: .health) == 3)
        #expect(effects.isEmpty)
        let moved = send([.key(.character("G"))], to: state).0
        #expect(moved.position(of: .health).selection == 2)
    }

    @Test func resultsGoToHistoryAndOnlyChangesToTheEventLog() {
        let (state, _) = send([
            .health(.started([.opencode])),
            .health(.result(result(.opencode, .ok, at: 0))),
            .health(.result(result(.opencode, .ok, at: 10))),
            .health(.result(result(.opencode, .failing, at: 20, error: "connection refused"))),
            .health(.result(result(.opencode, .failing, at: 30))),
            .health(.result(result(.opencode, .ok, at: 40))),
        ])
        #expect(state.health.history(of: .opencode).results.count == 5)
        #expect(state.health.history(of: .opencode).lastChange == t0.addingTimeInterval(40))
        #expect(state.health.events.map(\.to) == [.ok, .failing, .ok])
        #expect(state.health.events[1].from == .ok)
        #expect(state.health.events[1].reason == "connection refused")
        #expect(state.health.now == t0.addingTimeInterval(40))
        #expect(state.health.worst == .ok)
    }

    @Test func eventLogIsBounded() {
        var state = AppState()
        state.health.eventCapacity = 5
        for index in 0..<20 {
            state = update(state, .health(.result(result(.valkey, index.isMultiple(of: 2) ? .ok : .failing, at: Double(index))))).0
        }
        #expect(state.health.events.count == 5)
        #expect(state.health.events.last?.time == t0.addingTimeInterval(19))
        #expect(state.health.history(of: .valkey).results.count == 20)
    }

    @Test func keysAskTheRunnerAndMarkProbesPending() {
        let started = send([.health(.started([.opencode, .podmanHealth]))]).0
        let (probing, probeEffects) = send([.key(.character("r"))], to: started)
        #expect(probeEffects == [.health(.runAll)])
        #expect(probing.health.pending == [.opencode, .podmanHealth])
        let (checking, checkEffects) = send([.key(.character("h"))], to: started)
        #expect(checkEffects == [.health(.runHealthcheck)])
        #expect(checking.health.pending == [.podmanHealth])
        let (done, _) = send([.health(.result(result(.podmanHealth, .ok, at: 1)))], to: checking)
        #expect(done.health.pending.isEmpty)
    }

    @Test func authorizeB2FromThePaletteAddsItsRow() {
        let started = send([.health(.started([.b2]))]).0
        var keys: [Action] = [.key(.character(":"))]
        keys += "check the b2".map { .key(.character($0)) }
        keys.append(.key(.enter))
        let (state, effects) = send(keys, to: started)
        #expect(effects == [.health(.run(.b2Authorize))])
        #expect(state.health.order == [.b2, .b2Authorize])
        #expect(state.health.pending == [.b2Authorize])
        // Readonly does not refuse it: it changes nothing.
        var readonly = started
        readonly.settings.readonly = true
        #expect(send(keys, to: readonly).1 == [.health(.run(.b2Authorize))])
    }

    @Test func enterOpensTheSelectedProbesDetails() {
        let (state, _) = send([
            .health(.started([.opencode, .podmanHealth])),
            .health(.result(result(.podmanHealth, .ok, at: 0, latency: 0.08))),
            .health(.result(result(.podmanHealth, .failing, at: 65, latency: 0.09, error: "last check: 404"))),
            .key(.character("j")),
            .key(.enter),
        ])
        // The page holds which probe it shows; OpsUI words it (ProbePage) and hands the lines back.
        guard case .page(let page)? = state.overlay else { Issue.record("no page opened"); return }
        #expect(page.title == "Healthcheck (podman-health)")
        #expect(page.content == .probe(.podmanHealth) && page.lines.isEmpty)
        let worded = send([.pageWorded(["status: failing", "history", "ok -> failing"]), .key(.character("G"))], to: state).0
        guard case .page(let read)? = worded.overlay else { Issue.record("page closed"); return }
        #expect(read.lines.count == 3 && read.scroll == 2)
        // Search goes by the worded lines.
        let found = send(["/", "o", "k"].map { .key(.character($0)) } + [.key(.enter)], to: send([.key(.character("g"))], to: worded).0).0
        guard case .page(let searched)? = found.overlay else { Issue.record("page closed"); return }
        #expect(searched.search?.matchLine == 2)
    }

    @Test func wordedLinesReachOnlyADataPage() {
        var state = AppState()
        state.overlay = .page(TextPage(title: "log", lines: ["a"]))
        #expect(send([.pageWorded(["b", "c"])], to: state).0.overlay == state.overlay)
        state.overlay = .page(TextPage(title: "Build history", content: .buildHistory, scroll: 5))
        guard case .page(let page)? = send([.pageWorded(["b", "c"])], to: state).0.overlay else { Issue.record("page closed"); return }
        #expect(page.lines == ["b", "c"] && page.scroll == 1, "the scroll stays within the new lines")
    }

    @Test func enterWithoutProbesDoesNothing() {
        let (state, effects) = send([.key(.enter)])
        #expect(state.overlay == nil)
        #expect(effects.isEmpty)
    }

    @Test func environmentActionRebuildsRowsWithoutSecrets() {
        let layers = EnvLayers(
            imageDefaults: ["FALKORDB_HOST": "localhost"],
            envFile: ["B2_APPLICATION_KEY_ID": "id-DO-NOT-SHOW", "B2_BUCKET": "bucket"],
            config: ["VALKEY_PORT": "6390"],
            running: ["FALKORDB_HOST": "localhost", "VALKEY_PORT": "6380", "B2_BUCKET": "bucket",
                      "B2_APPLICATION_KEY_ID": "id-DO-NOT-SHOW"]
        )
        var state = AppState()
        state.positions[.environment] = ListPosition(selection: 500)
        state = update(state, .health(.environment(rows: EnvironmentModel.rows(layers), origin: .image("img"), containerRunning: true))).0
        #expect(state.health.environmentOrigin == .image("img"))
        #expect(state.health.containerRunning == true)
        #expect(state.position(of: .environment).selection == state.environment.count - 1)
        let key = state.environment.first { $0.name == "B2_APPLICATION_KEY_ID" }
        #expect(key?.isSecret == true && key?.value == "set" && key?.source == .envFile)
        let missing = state.environment.first { $0.name == "B2_APPLICATION_KEY" }
        #expect(missing?.isMissingRequired == true && missing?.value == "missing")
        let drift = state.environment.first { $0.name == "VALKEY_PORT" }
        #expect(drift?.needsRestart == true && drift?.note.contains("apply") == true)
        #expect(state.environment.first { $0.name == "FALKORDB_HOST" }?.source == .imageDefault)
        #expect(state.environment.contains { $0.kind == .setting && $0.name == "pod" })
        #expect(!state.environment.contains { $0.searchText.contains("DO-NOT-SHOW") })
        // The Containerfile parse is labelled as such.
        let parsed = update(state, .health(.environment(rows: EnvironmentModel.rows(layers), origin: .containerfile, containerRunning: false))).0
        #expect(parsed.environment.first { $0.name == "FALKORDB_HOST" }?.source == .containerfile)
    }

    @Test func failuresBecomeMessages() {
        let state = send([.health(.failed("env file /x:3: missing ="))]).0
        #expect(Array(state.messages) == ["env file /x:3: missing ="])
        #expect(state.messages.entries.last?.level == .failure)
    }
}
