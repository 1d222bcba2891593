import Foundation

/// Which podman engine the console drives: the local one, a connection named in the settings
/// (`podman.connection`), or one named by podman's own environment (`CONTAINER_CONNECTION`,
/// `CONTAINER_HOST`), in the order podman itself prefers them.
public enum PodmanEndpoint: Equatable, Sendable {
    case local
    case connection(String)
    case host(String)

    public init(connection: String, environment: [String: String]) {
        if !connection.isEmpty {
            self = .connection(connection)
        } else if let name = environment["CONTAINER_CONNECTION"], !name.isEmpty {
            self = .connection(name)
        } else if let host = environment["CONTAINER_HOST"], !host.isEmpty {
            self = .host(Self.address(of: host))
        } else {
            self = .local
        }
    }

    /// True when containers run on another engine: their ports and files are not this machine's.
    public var isRemote: Bool { self != .local }

    /// A short name for the header: `local`, the connection's name, or the host's address.
    public var name: String {
        switch self {
        case .local: "local"
        case .connection(let name): name
        case .host(let address): address
        }
    }

    /// `ssh://root@host:2222` from `ssh://root:pw@host:2222/run/podman/podman.sock`: the socket
    /// path adds nothing a reader needs, and a password in the URL must never be shown.
    static func address(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound]
        if scheme == "unix" { return String(url) }
        var rest = url[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") {
            let user = rest[..<at].split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            rest = Substring(user + "@" + rest[rest.index(after: at)...])
        }
        return "\(scheme)://\(rest)"
    }
}
