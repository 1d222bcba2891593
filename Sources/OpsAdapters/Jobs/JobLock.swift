import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a job lock: written into the lock file so a refused request can say who and when.
public struct JobLockHolder: Codable, Equatable, Sendable {
    public var jobID: String
    public var kind: JobKind
    public var user: String
    public var sshClient: String?
    public var startedAt: Date

    public init(jobID: String, kind: JobKind, user: String, sshClient: String?, startedAt: Date) {
        self.jobID = jobID
        self.kind = kind
        self.user = user
        self.sshClient = sshClient
        self.startedAt = startedAt
    }
}

public enum JobLockError: Error, CustomStringConvertible, Sendable {
    /// Another job of the same group runs; its holder record when it could be read.
    case busy(lock: String, holder: JobLockHolder?)
    case io(String)

    public var description: String {
        switch self {
        case .busy(let lock, let holder?):
            let by = holder.sshClient.map { "\(holder.user) from \($0)" } ?? holder.user
            return "a \(holder.kind.rawValue) job is already running (\(holder.jobID), started by \(by) at \(JobLock.display(holder.startedAt))); "
                + "one \(lock) job at a time: see `opencode-ops jobs attach \(holder.jobID)`"
        case .busy(let lock, nil):
            return "another \(lock) job is already running; see `opencode-ops jobs`"
        case .io(let message):
            return message
        }
    }
}

/// One job per lock group at a time, across every console and CLI call: an exclusive flock on
/// `jobs/locks/<name>.lock`. The kernel drops a flock when its last descriptor closes, so a job
/// that dies (even by SIGKILL) never leaves the lock held; its holder record stays behind and is
/// recognised as stale by the next taker.
public final class JobLock: @unchecked Sendable {
    public let fileDescriptor: Int32
    public let name: String
    /// The record left by a holder that died without clearing it; nil when the lock was clean.
    public let staleHolder: JobLockHolder?

    private init(fileDescriptor: Int32, name: String, staleHolder: JobLockHolder?) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        self.staleHolder = staleHolder
    }

    public static func path(stateDirectory: String, name: String) -> String {
        ((stateDirectory as NSString).appendingPathComponent("jobs/locks") as NSString)
            .appendingPathComponent("\(name).lock")
    }

    /// Takes the lock without waiting, or says who holds it.
    public static func acquire(stateDirectory: String, name: String) throws(JobLockError) -> JobLock {
        let path = path(stateDirectory: stateDirectory, name: name)
        let fd: Int32
        do {
            // The state folder itself first: one owned by someone else is refused.
            try PrivateFiles.makeDirectory(stateDirectory)
            fd = try PrivateFiles.open(path, flags: O_RDWR)
        } catch {
            throw .io(error.description)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            // The winner writes its record just after taking the lock: give it a moment.
            var holder = readHolder(fd)
            for _ in 0..<20 where holder == nil {
                usleep(10_000)
                holder = readHolder(fd)
            }
            close(fd)
            throw .busy(lock: name, holder: holder)
        }
        return JobLock(fileDescriptor: fd, name: name, staleHolder: readHolder(fd))
    }

    /// Records the job now holding the lock, replacing any stale record.
    public func record(_ holder: JobLockHolder) {
        guard let data = try? Self.encoder.encode(holder) else { return }
        _ = ftruncate(fileDescriptor, 0)
        _ = data.withUnsafeBytes { pwrite(fileDescriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Clears the record and drops the lock (a job's normal end).
    public func release() {
        _ = ftruncate(fileDescriptor, 0)
        close(fileDescriptor)
    }

    /// Gives up this process's descriptor without clearing the record: the lock stays with the
    /// job process that inherited it.
    public func handOver() {
        close(fileDescriptor)
    }

    /// Clears the record and unlocks a lock descriptor inherited from the launcher.
    public static func release(inheritedDescriptor fd: Int32) {
        _ = ftruncate(fd, 0)
        close(fd)
    }

    static func readHolder(_ fd: Int32) -> JobLockHolder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? Self.decoder.decode(JobLockHolder.self, from: Data(buffer[0..<count]))
    }

    // Plain keys: snake-case conversion would not round-trip `jobID`.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func display(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
