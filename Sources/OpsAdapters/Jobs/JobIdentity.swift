import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who is acting and from where, for job records and the audit log.
public struct JobIdentity: Equatable, Sendable {
    /// The account of the effective user id: `$USER` and `$LOGNAME` can say anything.
    public var user: String
    /// The client's address from SSH_CONNECTION (`client-ip client-port server-ip server-port`):
    /// as the environment reports it, never verified.
    public var sshClient: String?

    public init(user: String, sshClient: String?) {
        self.user = user
        self.sshClient = sshClient
    }

    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> JobIdentity {
        let client = environment["SSH_CONNECTION"]?.split(separator: " ").first.map(String.init)
        return JobIdentity(user: accountName(), sshClient: client)
    }

    /// The effective user's account name, or `uid N` when the password database has none.
    public static func accountName() -> String {
        let uid = geteuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
