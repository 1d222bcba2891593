import Foundation

/// An image as `podman image inspect` reports it.
public struct PodmanImage: Equatable, Sendable {
    public var id: String
    public var tags: [String]
    public var createdAt: Date?
    /// `Config.Env` as `KEY=VALUE` strings: the image's ENV defaults.
    public var environment: [String]
    public var labels: [String: String]
    public var healthcheck: PodmanHealthcheck?

    public init(
        id: String, tags: [String] = [], createdAt: Date? = nil, environment: [String] = [],
        labels: [String: String] = [:], healthcheck: PodmanHealthcheck? = nil
    ) {
        self.id = id
        self.tags = tags
        self.createdAt = createdAt
        self.environment = environment
        self.labels = labels
        self.healthcheck = healthcheck
    }

    /// ENV defaults as a dictionary (a later duplicate wins, as in the runtime).
    public var environmentDefaults: [String: String] {
        var result: [String: String] = [:]
        for entry in environment {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            result[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return result
    }
}

/// HEALTHCHECK settings (only kept by podman for images built with `--format docker`).
public struct PodmanHealthcheck: Equatable, Sendable {
    public var test: [String]
    public var interval: TimeInterval
    public var timeout: TimeInterval
    public var startPeriod: TimeInterval
    public var retries: Int

    public init(test: [String], interval: TimeInterval, timeout: TimeInterval, startPeriod: TimeInterval, retries: Int) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.retries = retries
    }

    /// How long a fresh container may take to become healthy before we call it not healthy:
    /// the start period plus the retries podman itself would allow after it.
    public var healthDeadline: TimeInterval {
        startPeriod + Double(max(retries, 1)) * (interval + timeout)
    }
}
