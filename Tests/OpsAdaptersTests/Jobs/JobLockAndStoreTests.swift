import Foundation
import OpsCore
import Testing
@testable import OpsAdapters

@Suite(.tags(.jobs)) struct JobLockAndStoreTests {
    static func stateDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opencode-ops-jobs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let holder = JobLockHolder(jobID: "j-1", kind: .backup, user: "ops", sshClient: "10.1.2.3", startedAt: Date(timeIntervalSince1970: 1_700_000_000))

    @Test func aSecondTakerIsToldWhoHoldsTheLock() throws {
        let state = try Self.stateDirectory()
        let first = try JobLock.acquire(stateDirectory: state, name: "data")
        first.record(Self.holder)
        do {
            _ = try JobLock.acquire(stateDirectory: state, name: "data")
            Issue.record("second acquire succeeded")
        } catch {
            guard case .busy(_, let holder) = error else { Issue.record("\(error)"); return }
            #expect(holder == Self.holder)
            #expect(error.description.contains("started by ops from 10.1.2.3"))
        }
        // Another group is independent.
        let other = try JobLock.acquire(stateDirectory: state, name: "image")
        other.release()
        first.release()
        let again = try JobLock.acquire(stateDirectory: state, name: "data")
        #expect(again.staleHolder == nil, "a clean release leaves no record")
        again.release()
    }

    @Test func aRecordLeftByADeadHolderIsStale() throws {
        let state = try Self.stateDirectory()
        let first = try JobLock.acquire(stateDirectory: state, name: "data")
        first.record(Self.holder)
        first.handOver()  // the descriptor closes without clearing: as when a job is SIGKILLed
        let next = try JobLock.acquire(stateDirectory: state, name: "data")
        #expect(next.staleHolder == Self.holder)
        next.release()
    }

    @Test func concurrentTakersGetExactlyOneLock() async throws {
        let state = try Self.stateDirectory()
        let results = await withTaskGroup(of: JobLock?.self) { group in
            for _ in 0..<8 {
                group.addTask { try? JobLock.acquire(stateDirectory: state, name: "data") }
            }
            var locks: [JobLock?] = []
            for await lock in group { locks.append(lock) }
            return locks
        }
        let winners = results.compactMap { $0 }
        #expect(winners.count == 1)
        winners.forEach { $0.release() }
    }

    @Test func aRunningJobWhoseProcessIsGoneIsAbandoned() throws {
        let store = JobStore(stateDirectory: try Self.stateDirectory())
        // Whole seconds: the status file keeps ISO 8601 times.
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        // A pid that is certainly not this job's: our own (its command line does not name the job).
        let status = JobStatus(id: "20250101-000000-build-1", kind: .build, arguments: ["build"], user: "ops", sshClient: nil, pid: getpid(), startedAt: now)
        try store.write(status)
        #expect(store.read(status.id)?.state == .abandoned)
        var starting = status
        starting.id = "20250101-000000-build-2"
        starting.pid = 0
        try store.write(starting)
        #expect(store.read(starting.id, now: now)?.state == .running, "just started, pid not yet recorded")
        #expect(store.read(starting.id, now: now.addingTimeInterval(120))?.state == .abandoned)
        var finished = status
        finished.id = "20250101-000000-build-3"
        finished.state = .failed
        finished.exitCode = 1
        try store.write(finished)
        #expect(store.read(finished.id) == finished)
        #expect(store.list().count == 3)
    }

    @Test func auditEntriesRoundTripAsJSONLines() throws {
        let state = try Self.stateDirectory()
        let log = JobAuditLog(stateDirectory: state, identity: JobIdentity(user: "ops", sshClient: "192.0.2.7"))
        #expect(log.record(action: "backup", target: "data", result: "started job x") == nil)
        #expect(log.record(action: "restore", target: "b-1", result: "refused: read-only") == nil)
        let entries = log.entries()
        #expect(entries.map(\.action) == ["backup", "restore"])
        #expect(entries.allSatisfy { $0.user == "ops" && $0.from == "192.0.2.7" })
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(text.contains("\"from\":\"192.0.2.7\""))
        #expect(text.contains("\"from_reported_by\":\"environment (SSH_CONNECTION)\""))
    }

    @Test func olderEntriesWithSSHClientStillRead() throws {
        let line = #"{"action":"up","result":"ok","ssh_client":"192.0.2.9","target":"p","time":"2026-01-01T00:00:00Z","user":"ops"}"#
        let entry = try JobStore.decoder.decode(JobAuditEntry.self, from: Data(line.utf8))
        #expect(entry.from == "192.0.2.9")
    }

    /// The name comes from the effective uid, whatever USER or LOGNAME claim; the SSH client is
    /// kept apart as the environment's report.
    @Test func identityIsTheEffectiveUserAndTheClientIsReported() {
        let account = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let identity = JobIdentity.current(environment: ["USER": "mallory", "LOGNAME": "mallory", "SSH_CONNECTION": "198.51.100.4 51234 10.0.0.1 22"])
        #expect(identity == JobIdentity(user: account, sshClient: "198.51.100.4"))
        #expect(JobIdentity.current(environment: ["USER": "mallory"]).user == account)
        #expect(JobIdentity.current(environment: ["USER": "ops"]).sshClient == nil)
    }
}
