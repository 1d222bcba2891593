import Foundation

/// The resources overlay's data: the newest figures of each of the pod's containers and their
/// recent history, fed by one `podman stats` stream that runs only while the overlay is open.
public struct StatsState: Equatable, Sendable {
    /// Samples kept per container: five minutes at podman's 5 s interval.
    public static let historyLength = 60
    /// Seconds between samples, passed to `podman stats --interval`.
    public static let interval = 5

    /// Counts the streams started, so results of a stopped stream are told from the current one.
    public var generation = 0
    public var isStreaming = false
    /// Why the stream ended by itself (podman failed or exited), shown until the next start.
    public var ended: String?
    /// Samples taken since the stream started (none yet: the overlay says it is starting).
    public var samples = 0
    /// In the pod's order (OpenCode, FalkorDB, Valkey), only those in the newest sample.
    public var containers: [ContainerHistory] = []

    public init() {}

}

/// One container's newest figures and, oldest first, its recent values: CPU %, memory used,
/// and network and block I/O as bytes a second between samples.
public struct ContainerHistory: Equatable, Sendable {
    public var latest: ContainerStats
    public var time: Date
    public var cpu: [Double] = []
    public var memory: [Double] = []
    public var network: [Double] = []
    public var block: [Double] = []

    public init(latest: ContainerStats, time: Date) {
        self.latest = latest
        self.time = time
    }

    /// The newest network and block I/O rates (bytes a second); nil before a second sample.
    public var networkRate: Double? { network.last }
    public var blockRate: Double? { block.last }

    /// Adds a sample; rates need a previous sample, and a counter that went back (the container
    /// was recreated) counts as a fresh start.
    mutating func add(_ stats: ContainerStats, at now: Date, keep: Int) {
        let seconds = now.timeIntervalSince(time)
        if seconds > 0 {
            func rate(_ new: Int64, _ old: Int64) -> Double { new >= old ? Double(new - old) / seconds : 0 }
            network.append(rate(stats.networkReceived, latest.networkReceived) + rate(stats.networkSent, latest.networkSent))
            block.append(rate(stats.blockRead, latest.blockRead) + rate(stats.blockWritten, latest.blockWritten))
        }
        cpu.append(stats.cpuPercent)
        memory.append(Double(stats.memoryUsed))
        latest = stats
        time = now
        cpu = Array(cpu.suffix(keep))
        memory = Array(memory.suffix(keep))
        network = Array(network.suffix(keep))
        block = Array(block.suffix(keep))
    }
}
