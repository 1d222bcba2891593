import Foundation

/// Where a RESP server listens and how to log in. The password is only ever sent to the server.
public struct RESPEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }
}

/// Runs RESP commands against a server. Two ways: a direct TCP connection, or `redis-cli` run
/// inside the pod when the database ports are not published on the host.
public protocol RESPTransport: Sendable {
    /// Sends each command in order (after AUTH when a password is set) and returns one reply per
    /// command. Server error replies come back as `.error`; only transport failures throw.
    func run(_ commands: [[String]], on endpoint: RESPEndpoint, timeout: Double) async throws -> [RESPValue]
}

/// A small RESP client over a plain TCP socket, no dependency.
public struct TCPRESPTransport: RESPTransport {
    public init() {}

    public func run(_ commands: [[String]], on endpoint: RESPEndpoint, timeout: Double) async throws -> [RESPValue] {
        try await runBlocking {
            let connection = try TCPConnection(host: endpoint.host, port: endpoint.port, timeout: timeout)
            var buffer = Data()
            func reply() throws -> RESPValue {
                while true {
                    if let (value, used) = try RESPParser.parse(buffer) {
                        buffer.removeFirst(used)
                        return value
                    }
                    buffer.append(try connection.read())
                }
            }
            if let password = endpoint.password {
                let auth = endpoint.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
                try connection.write(RESPEncoder.command(auth))
                if case .error(let message) = try reply() {
                    // The server's words only: they never echo the password.
                    throw RESPCommandError.authentication(message)
                }
            }
            // Pipelined: one round trip for all commands.
            try connection.write(commands.reduce(into: Data()) { $0.append(RESPEncoder.command($1)) })
            return try commands.map { _ in try reply() }
        }
    }
}

/// A failure the server reported about the session itself.
public enum RESPCommandError: Error, Equatable, CustomStringConvertible {
    case authentication(String)
    case cli(exitCode: Int32, message: String)

    public var description: String {
        switch self {
        case .authentication(let message): return "authentication failed: \(message)"
        case .cli(let code, let message):
            return message.isEmpty ? "redis-cli exited with \(code)" : "redis-cli exited with \(code): \(message)"
        }
    }
}
