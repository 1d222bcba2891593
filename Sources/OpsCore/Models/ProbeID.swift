/// Names one probe; stable across runs so results, history and keys can refer to it.
public struct ProbeID: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let opencode: ProbeID = "opencode"
    public static let podmanHealth: ProbeID = "podman-health"
    public static let falkordb: ProbeID = "falkordb"
    public static let valkey: ProbeID = "valkey"
    public static let datadog: ProbeID = "datadog"
    public static let b2: ProbeID = "b2"
    public static let b2Authorize: ProbeID = "b2-authorize"
    public static let graphiti: ProbeID = "graphiti"
    public static let backupFreshness: ProbeID = "backup-freshness"

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
