import Testing
@testable import OpsCore

@Suite struct ExecUpdateTests {
    func state() -> AppState {
        var state = AppState(themeNames: ["default"])
        state.settings.pod = "ops"
        state.health.order = [.opencode, .falkordb, .valkey]
        return state
    }

    func send(_ keys: [Key], to state: AppState) -> (AppState, [Effect]) {
        keys.reduce((state, [Effect]())) { result, key in
            let (next, effects) = update(result.0, .key(key))
            return (next, result.1 + effects)
        }
    }

    @Test func eOpensAShellInOpenCode() {
        #expect(send([.character("e")], to: state()).1 == [.exec(.shell)])
    }

    @Test func capitalEUsesTheSelectedDatabaseRow() {
        #expect(send([.character("j"), .character("E")], to: state()).1 == [.exec(.redisCli(.falkordb))])
        #expect(send([.character("j"), .character("j"), .character("E")], to: state()).1 == [.exec(.redisCli(.valkey))])
    }

    @Test func capitalEAsksWhichDatabaseElsewhereAndTheAnswerPicksIt() {
        let (asked, effects) = send([.character("E")], to: state())
        #expect(effects.isEmpty)
        guard case .confirm(let question)? = asked.overlay else {
            Issue.record("no question: \(String(describing: asked.overlay))")
            return
        }
        #expect(question.operation == .chooseSidecar)
        #expect(question.detail == .sidecarChoice)
        // `y` is no answer here; it neither runs anything nor closes the question.
        let (afterY, yEffects) = send([.character("y")], to: asked)
        #expect(yEffects.isEmpty && afterY.overlay == asked.overlay)
        let (afterV, vEffects) = send([.character("v")], to: asked)
        #expect(vEffects == [.exec(.redisCli(.valkey))] && afterV.overlay == nil)
        #expect(send([.character("f")], to: asked).1 == [.exec(.redisCli(.falkordb))])
        let (cancelled, none) = send([.escape], to: asked)
        #expect(none.isEmpty && cancelled.overlay == nil)
    }

    @Test func readonlyRefusesBothWithAMessage() {
        var readonly = state()
        readonly.settings.readonly = true
        let (next, effects) = send([.character("e"), .character("j"), .character("E")], to: readonly)
        #expect(effects.isEmpty)
        #expect(next.messages.filter { $0.hasPrefix("read-only:") }.count == 2)
        #expect(next.overlay == nil)
    }

    @Test func thePaletteFindsBothByExec() {
        let matches = PaletteState(query: "exec").matches
        #expect(Array(matches.prefix(2)).sorted { $0.rawValue < $1.rawValue } == [.redisCli, .shell])
        #expect(PaletteState(query: "shell").matches.first == .shell)
    }
}

@Suite struct ContainerExecPlanTests {
    @Test func theShellPrefersBashAndNamesTheContainerAfterDashDash() {
        let plan = ContainerExecPlan(target: .shell, pod: "ops", environment: ["FALKORDB_PASSWORD": "pw"])
        #expect(plan.podmanArguments == ["exec", "-it", "--", "ops-opencode", "sh", "-c", "command -v bash >/dev/null 2>&1 && exec bash || exec sh"])
        #expect(plan.environment.isEmpty)
    }

    @Test func redisCliUsesTheSidecarsOwnPortAndUserAndPassesThePasswordOnlyByEnvironment() {
        let plan = ContainerExecPlan(
            target: .redisCli(.valkey), pod: "ops",
            environment: ["VALKEY_PORT": "7000", "VALKEY_USERNAME": "ops", "VALKEY_PASSWORD": "s3cret", "FALKORDB_PASSWORD": "other"]
        )
        // VALKEY_PORT is where OpenCode reaches it; inside its own container Valkey listens on 6380.
        #expect(plan.podmanArguments == ["exec", "-it", "-e", "REDISCLI_AUTH", "--", "ops-valkey", "redis-cli", "-p", "6380", "--user", "ops"])
        #expect(!plan.podmanArguments.contains { $0.contains("s3cret") })
        #expect(plan.environment == ["REDISCLI_AUTH": "s3cret"])
    }

    @Test func redisCliWithoutAPasswordUsesTheDefaultPortAndNoVariable() {
        let plan = ContainerExecPlan(target: .redisCli(.falkordb), pod: "ops", environment: ["FALKORDB_PASSWORD": ""])
        #expect(plan.podmanArguments == ["exec", "-it", "--", "ops-falkordb", "redis-cli", "-p", "6379"])
        #expect(plan.environment.isEmpty)
    }

    @Test func theSubcommandArgumentNamesTheTarget() {
        #expect(ExecTarget(argument: "opencode") == .shell)
        #expect(ExecTarget(argument: "falkordb") == .redisCli(.falkordb))
        #expect(ExecTarget(argument: "valkey") == .redisCli(.valkey))
        #expect(ExecTarget(argument: "redis") == nil)
    }
}
