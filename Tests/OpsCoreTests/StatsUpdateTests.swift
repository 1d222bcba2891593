import Foundation
import Testing
@testable import OpsCore

@Suite struct StatsUpdateTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    func state() -> AppState {
        var settings = Settings()
        settings.pod = "team"
        return AppState(settings: settings)
    }

    static func figures(_ name: String, cpu: Double, memory: Int64, received: Int64 = 0, read: Int64 = 0) -> ContainerStats {
        ContainerStats(name: name, cpuPercent: cpu, memoryUsed: memory, memoryLimit: 1_000_000, networkReceived: received, blockRead: read)
    }

    @Test func openingStartsOneStreamOfThePodsContainersAndClosingStopsIt() {
        var (state, effects) = update(state(), .key(.character("s")))
        #expect(state.overlay == .stats(scroll: 0))
        #expect(effects == [.stats(.start(generation: 1, containers: ["team-opencode", "team-falkordb", "team-valkey"], interval: 5))])
        // Scrolling keeps the one stream.
        (state, effects) = update(state, .key(.character("j")))
        #expect(state.overlay == .stats(scroll: 1) && effects.isEmpty)
        (state, effects) = update(state, .key(.escape))
        #expect(state.overlay == nil && effects == [.stats(.stop)])
        (state, effects) = update(state, .key(.character("s")))
        #expect(effects == [.stats(.start(generation: 2, containers: ["team-opencode", "team-falkordb", "team-valkey"], interval: 5))])
        (state, effects) = update(state, .key(.character("s")))
        #expect(state.overlay == nil && effects == [.stats(.stop)])
    }

    @Test func anythingThatCoversTheOverlayStopsTheStream() {
        var (state, _) = update(state(), .key(.character("s")))
        var effects: [Effect]
        (state, effects) = update(state, .key(.character("m")))
        #expect(state.overlay == .messages(scrollBack: 0) && effects == [.stats(.stop)])
        (state, _) = update(state, .key(.escape))
        (state, _) = update(state, .run(.stats))
        (state, effects) = update(state, .run(.help))
        #expect(effects == [.stats(.stop)])
    }

    @Test func samplesBuildHistoriesAndRatesInThePodsOrder() {
        var (state, _) = update(state(), .key(.character("s")))
        let first = StatsSample(time: Self.start, containers: [
            Self.figures("team-valkey", cpu: 1, memory: 100), Self.figures("team-opencode", cpu: 10, memory: 500, received: 1000, read: 0),
        ])
        state = update(state, .stats(.sampled(generation: 1, first))).0
        #expect(state.stats.containers.map(\.latest.name) == ["team-opencode", "team-valkey"])
        #expect(state.stats.containers[0].networkRate == nil)
        let second = StatsSample(time: Self.start + 5, containers: [
            Self.figures("team-opencode", cpu: 20, memory: 600, received: 6000, read: 500),
        ])
        state = update(state, .stats(.sampled(generation: 1, second))).0
        let opencode = state.stats.containers[0]
        #expect(state.stats.containers.count == 1, "a container missing from the sample is still listed")
        #expect(opencode.cpu == [10, 20] && opencode.memory == [500, 600])
        #expect(opencode.networkRate == 1000 && opencode.blockRate == 100)
        #expect(state.stats.samples == 2)
    }

    @Test func historiesKeepTheLastFewMinutes() {
        var (state, _) = update(state(), .key(.character("s")))
        for index in 0..<(StatsState.historyLength + 10) {
            let sample = StatsSample(time: Self.start + Double(index * 5), containers: [Self.figures("team-opencode", cpu: Double(index), memory: 1)])
            state = update(state, .stats(.sampled(generation: 1, sample))).0
        }
        let cpu = state.stats.containers[0].cpu
        #expect(cpu.count == StatsState.historyLength && cpu.last == Double(StatsState.historyLength + 9))
    }

    @Test func resultsOfAStoppedStreamAreIgnored() {
        var (state, _) = update(state(), .key(.character("s")))
        state = update(state, .key(.escape)).0
        state = update(state, .key(.character("s"))).0
        let late = StatsSample(time: Self.start, containers: [Self.figures("team-opencode", cpu: 99, memory: 1)])
        state = update(state, .stats(.sampled(generation: 1, late))).0
        state = update(state, .stats(.ended(generation: 1, reason: "killed"))).0
        #expect(state.stats.containers.isEmpty && state.stats.ended == nil && state.stats.isStreaming)
        state = update(state, .stats(.ended(generation: 2, reason: "podman stats exited (125): boom"))).0
        #expect(state.stats.ended == "podman stats exited (125): boom" && !state.stats.isStreaming)
        #expect(state.messages.entries.last?.text == "stats: podman stats exited (125): boom")
    }

    @Test func thePaletteWordStatsFindsTheOverlayFirst() {
        #expect(PaletteState(query: "stats").matches.first == .stats)
    }
}
