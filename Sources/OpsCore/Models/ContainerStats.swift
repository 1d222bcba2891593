import Foundation

/// One container's resource use at one moment, as `podman stats` reports it. Network and block
/// I/O are totals since the container started; CPU is the percentage over podman's last interval.
public struct ContainerStats: Equatable, Sendable, Codable {
    public var name: String
    public var cpuPercent: Double
    public var memoryUsed: Int64
    /// The container's memory limit, or the host's memory when it has none.
    public var memoryLimit: Int64
    public var networkReceived: Int64
    public var networkSent: Int64
    public var blockRead: Int64
    public var blockWritten: Int64
    public var pids: Int?

    public init(
        name: String, cpuPercent: Double, memoryUsed: Int64, memoryLimit: Int64,
        networkReceived: Int64 = 0, networkSent: Int64 = 0, blockRead: Int64 = 0, blockWritten: Int64 = 0, pids: Int? = nil
    ) {
        self.name = name
        self.cpuPercent = cpuPercent
        self.memoryUsed = memoryUsed
        self.memoryLimit = memoryLimit
        self.networkReceived = networkReceived
        self.networkSent = networkSent
        self.blockRead = blockRead
        self.blockWritten = blockWritten
        self.pids = pids
    }
}

/// Every container's figures from one interval of `podman stats`, with the time it was read.
public struct StatsSample: Equatable, Sendable {
    public var time: Date
    public var containers: [ContainerStats]

    public init(time: Date, containers: [ContainerStats]) {
        self.time = time
        self.containers = containers
    }
}
