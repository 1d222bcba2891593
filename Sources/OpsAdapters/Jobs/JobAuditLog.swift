import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `audit.jsonl` in the state directory: one JSON object per line, appended with O_APPEND so
/// lines from several consoles and CLI calls never interleave.
public struct JobAuditLog: Sendable {
    public let path: String
    public let identity: JobIdentity

    public init(stateDirectory: String, identity: JobIdentity = .current()) {
        path = (stateDirectory as NSString).appendingPathComponent("audit.jsonl")
        self.identity = identity
    }

    /// Appends one entry. Auditing never stops the action itself: a failure is returned for the
    /// caller to show, not thrown.
    @discardableResult
    public func record(action: String, target: String, result: String, now: Date = Date()) -> String? {
        let entry = JobAuditEntry(
            time: now, user: identity.user, from: identity.sshClient, action: action, target: target, result: result
        )
        guard var data = try? JobStore.encoder.encode(entry) else { return "cannot encode audit entry" }
        data.append(0x0A)
        do {
            // One write of the whole line: O_APPEND keeps concurrent writers' lines apart.
            try PrivateFiles.append(data, to: path)
            return nil
        } catch {
            return error.description
        }
    }

    /// The newest `limit` entries, oldest first; lines that do not parse are skipped.
    public func entries(limit: Int = .max) -> [JobAuditEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines = data.split(separator: 0x0A)
        return lines.suffix(limit).compactMap { try? JobStore.decoder.decode(JobAuditEntry.self, from: Data($0)) }
    }
}
