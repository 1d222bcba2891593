import Foundation

extension AppState {
    /// True while the resources overlay is on screen, the only time its stream runs.
    var showsStats: Bool {
        if case .stats? = overlay { return true }
        return false
    }

    /// `s` opens the resources overlay, or closes it when it is open.
    mutating func runStats() -> [Effect] {
        overlay = showsStats ? nil : .stats(scroll: 0)
        return []
    }

    /// Starts the stream when the overlay has just appeared and stops it when it has just gone,
    /// whichever key or result opened or covered it: one place, so no way of closing it leaves
    /// podman running.
    mutating func followStatsVisibility(wasShown: Bool) -> [Effect] {
        switch (wasShown, showsStats) {
        case (false, true):
            let generation = stats.generation + 1
            stats = StatsState()
            stats.generation = generation
            stats.isStreaming = true
            let names = PodmanRole.allCases.map { $0.containerName(pod: settings.pod) }
            return [.stats(.start(generation: generation, containers: names, interval: StatsState.interval))]
        case (true, false):
            stats.isStreaming = false
            return [.stats(.stop)]
        default:
            return []
        }
    }

    mutating func reduce(_ action: StatsAction) -> [Effect] {
        switch action {
        case .sampled(let generation, let sample):
            guard generation == stats.generation, stats.isStreaming else { return [] }
            stats.samples += 1
            let order = PodmanRole.allCases.map { $0.containerName(pod: settings.pod) }
            let present = sample.containers.sorted {
                (order.firstIndex(of: $0.name) ?? order.count, $0.name) < (order.firstIndex(of: $1.name) ?? order.count, $1.name)
            }
            stats.containers = present.map { figures in
                var history = stats.containers.first { $0.latest.name == figures.name }
                    ?? ContainerHistory(latest: figures, time: sample.time)
                if history.cpu.isEmpty {
                    history.cpu = [figures.cpuPercent]
                    history.memory = [Double(figures.memoryUsed)]
                } else {
                    history.add(figures, at: sample.time, keep: StatsState.historyLength)
                }
                return history
            }
            return []
        case .ended(let generation, let reason):
            guard generation == stats.generation, stats.isStreaming else { return [] }
            stats.isStreaming = false
            stats.ended = reason
            messages.append("stats: \(reason)", level: .warning)
            return []
        }
    }
}
