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
        let user = nonEmpty(environment["USER"]) ?? nonEmpty(environment["LOGNAME"]) ?? accountName()
        let client = environment["SSH_CONNECTION"]?.split(separator: " ").first.map(String.init)
        return JobIdentity(user: user, sshClient: client)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func accountName() -> String {
        guard let entry = getpwuid(getuid()) else { return "uid \(getuid())" }
        return String(cString: entry.pointee.pw_name)
    }
}
