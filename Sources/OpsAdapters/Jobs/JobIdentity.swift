import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who is acting and from where, for job records and the audit log.
public struct JobIdentity: Equatable, Sendable {
    public var user: String
    /// The client's address from SSH_CONNECTION (`client-ip client-port server-ip server-port`).
    public var sshClient: String?

    public init(user: String, sshClient: String?) {
        self.user = user
        self.sshClient = sshClient
    }

    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> JobIdentity {
        let user = environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LOGNAME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? getpwuid(getuid()).flatMap { String(cString: $0.pointee.pw_name) }
            ?? "uid \(getuid())"
        let client = environment["SSH_CONNECTION"]?.split(separator: " ").first.map(String.init)
        return JobIdentity(user: user, sshClient: client)
    }
}
