import Foundation
import OpsCore

/// PING for Valkey; PING plus `MODULE LIST` (graph module loaded) for FalkorDB. Works over a
/// direct TCP connection or `redis-cli` inside the pod (see `RedisCLITransport`).
public struct RESPProbe: Probe {
    public enum Service: Sendable {
        case valkey
        case falkordb

        var id: ProbeID { self == .valkey ? .valkey : .falkordb }
        /// Prefix of the settings the image reads: FALKORDB_HOST, VALKEY_PORT, ...
        var prefix: String { self == .valkey ? "VALKEY" : "FALKORDB" }
        /// The pod's defaults, matching the image's ENV.
        var defaultPort: Int { self == .valkey ? 6380 : 6379 }
    }

    /// FalkorDB registers its module under this name.
    static let graphModule = "graph"

    public var id: ProbeID { service.id }
    public var schedule: ProbeSchedule
    public let service: Service
    public let endpoint: RESPEndpoint
    /// Set when the port setting cannot be used.
    public private(set) var configurationProblem: String?
    private let transport: any RESPTransport

    public init(service: Service, endpoint: RESPEndpoint, schedule: ProbeSchedule = .standard, transport: any RESPTransport = TCPRESPTransport()) {
        self.service = service
        self.endpoint = endpoint
        self.schedule = schedule
        self.transport = transport
        configurationProblem = nil
    }

    /// Reads `<PREFIX>_HOST`, `_PORT`, `_USERNAME`, `_PASSWORD` from the container's effective
    /// environment, with the image's defaults (localhost, 6379 / 6380).
    public init(service: Service, environment: [String: String], schedule: ProbeSchedule = .standard,
                transport: any RESPTransport = TCPRESPTransport()) {
        let prefix = service.prefix
        let portText = environment.nonEmpty("\(prefix)_PORT")
        let port = portText.map { Int($0) } ?? service.defaultPort
        self.init(
            service: service,
            endpoint: RESPEndpoint(
                host: environment.nonEmpty("\(prefix)_HOST") ?? "localhost", port: port ?? service.defaultPort,
                username: environment.nonEmpty("\(prefix)_USERNAME"), password: environment.nonEmpty("\(prefix)_PASSWORD")
            ),
            schedule: schedule, transport: transport
        )
        if port == nil || !(1...65535).contains(port!) {
            configurationProblem = "\(prefix)_PORT is not a port number"
        }
    }

    public func check() async -> ProbeResult {
        await timedCheck(id, timeout: schedule.timeout) { [self] in await evaluate() }
    }

    private func evaluate() async -> ProbeOutcome {
        if let problem = configurationProblem {
            return ProbeOutcome(.unknown, error: problem, measured: false)
        }
        var commands = [["PING"]]
        if service == .falkordb { commands.append(["MODULE", "LIST"]) }
        let replies: [RESPValue]
        do {
            replies = try await transport.run(commands, on: endpoint, timeout: schedule.timeout)
        } catch {
            return ProbeOutcome(.failing, error: String(describing: error))
        }
        let target = "\(endpoint.host):\(endpoint.port)"
        guard let ping = replies.first else { return ProbeOutcome(.failing, error: "no reply from \(target)") }
        switch ping {
        case _ where ping.text == "PONG":
            break
        case .error(let message) where message.hasPrefix("NOAUTH"):
            return ProbeOutcome(.failing, detail: target, error: "server wants a password: set \(service.prefix)_PASSWORD")
        case .error(let message):
            return ProbeOutcome(.failing, detail: target, error: "PING refused: \(message.prefix(120))")
        default:
            return ProbeOutcome(.degraded, detail: target, error: "unexpected PING reply")
        }
        guard service == .falkordb else { return ProbeOutcome(.ok, detail: "PONG \(target)") }
        guard replies.count > 1 else { return ProbeOutcome(.degraded, detail: "PONG \(target)", error: "no MODULE LIST reply") }
        if case .error(let message) = replies[1] {
            return ProbeOutcome(.degraded, detail: "PONG \(target)", error: "cannot list modules: \(message.prefix(120))")
        }
        guard let modules = Self.modules(in: replies[1]) else {
            return ProbeOutcome(.degraded, detail: "PONG \(target)", error: "unexpected MODULE LIST reply")
        }
        guard let graph = modules.first(where: { $0.name.lowercased() == Self.graphModule }) else {
            let loaded = modules.isEmpty ? "none" : modules.map(\.name).joined(separator: ", ")
            return ProbeOutcome(.failing, detail: "PONG \(target)", error: "graph module not loaded (modules: \(loaded))")
        }
        return ProbeOutcome(.ok, detail: "PONG \(target), graph module" + (graph.version.map { " v\($0)" } ?? ""))
    }

    /// Module names and versions from a MODULE LIST reply: an array of flat key/value arrays
    /// (RESP2) or maps (RESP3, flattened by the parser). nil when the reply has another shape.
    static func modules(in reply: RESPValue) -> [(name: String, version: Int?)]? {
        guard let entries = reply.elements else { return nil }
        var modules: [(name: String, version: Int?)] = []
        for entry in entries {
            guard let fields = entry.elements else { return nil }
            var name: String?
            var version: Int?
            var index = 0
            while index + 1 < fields.count {
                switch fields[index].text?.lowercased() {
                case "name": name = fields[index + 1].text
                case "ver":
                    if case .integer(let number) = fields[index + 1] { version = number }
                default: break
                }
                index += 2
            }
            guard let name else { return nil }
            modules.append((name, version))
        }
        return modules
    }
}
