import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The jobs directory in the state directory: `jobs/<id>/status.json` and `jobs/<id>/output.log`
/// per job. The status file is always replaced whole (write then rename), so a reader never sees
/// half a record.
public struct JobStore: Sendable {
    public let root: String

    public init(stateDirectory: String) {
        root = (stateDirectory as NSString).appendingPathComponent("jobs")
    }

    public func directory(_ id: String) -> String { (root as NSString).appendingPathComponent(id) }
    public func statusFile(_ id: String) -> String { (directory(id) as NSString).appendingPathComponent("status.json") }
    public func logFile(_ id: String) -> String { (directory(id) as NSString).appendingPathComponent("output.log") }

    /// A sortable, readable, unique id in the backup scripts' run id format, so one run has one
    /// id in the job list, the run record, its log and the audit log: `20250102T153000Z-1a2b` for
    /// a backup (the backup's own id), `restore-20250102T153000Z-1a2b`, `rebuild-...` for the
    /// others. Jobs recorded under the older `20250102-153000-rebuild-1a2b` still read.
    public func newID(kind: JobKind, now: Date = Date()) -> String {
        JobKind.runID(kind: kind, now: now, suffix: UInt16.random(in: 0...UInt16.max))
    }

    public func write(_ status: JobStatus) throws {
        let data = try Self.encoder.encode(status)
        do {
            try PrivateFiles.makeDirectory((root as NSString).deletingLastPathComponent)
            try PrivateFiles.makeDirectory(directory(status.id))
            try PrivateFiles.replace(statusFile(status.id), with: data)
        } catch {
            throw JobStoreError(message: error.description)
        }
    }

    /// The job's status as recorded, with a running job whose process is gone shown as abandoned.
    public func read(_ id: String, now: Date = Date()) -> JobStatus? {
        guard let data = FileManager.default.contents(atPath: statusFile(id)),
              let status = try? Self.decoder.decode(JobStatus.self, from: data) else { return nil }
        return Self.resolved(status, now: now)
    }

    /// Every job, newest first.
    public func list(now: Date = Date()) -> [JobStatus] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.compactMap { read($0, now: now) }.sorted { $0.startedAt > $1.startedAt }
    }

    /// A job still marked running is alive only while its supervising process is; pid 0 means it
    /// is starting, which cannot take long.
    static func resolved(_ status: JobStatus, now: Date) -> JobStatus {
        guard status.state == .running else { return status }
        let alive = status.pid == 0
            ? now.timeIntervalSince(status.startedAt) < 30
            : isAlive(pid: status.pid, jobID: status.id)
        if alive { return status }
        var abandoned = status
        abandoned.state = .abandoned
        return abandoned
    }

    /// True when `pid` runs and is this job's supervisor (its command line names the job), so a
    /// recycled pid is not taken for the job.
    public static func isAlive(pid: Int32, jobID: String) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno != EPERM { return false }
        if let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") {
            if cmdline.isEmpty { return false }  // a zombie: dead, not yet reaped
            return String(decoding: cmdline, as: UTF8.self).contains(jobID)
        }
        return true
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}

public struct JobStoreError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
