import Foundation
import OpsCore
import Testing
@testable import OpsAdapters

/// State files are created 0600 in 0700 folders and never written through a planted link:
/// each test plants one where the program writes and checks the target kept its bytes.
@Suite struct PrivateFilesTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ooptest-private-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// A file outside the state folder that a link points at; its bytes must never change.
    static func victim(in directory: String) throws -> String {
        let path = directory + "/victim.txt"
        try "precious\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func foldersAre0700AndFiles0600() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let state = root + "/state/opencode-ops"
        let log = JobAuditLog(stateDirectory: state, identity: JobIdentity(user: "ops", sshClient: nil))
        #expect(log.record(action: "up", target: "pod", result: "ok") == nil)
        #expect(try Self.mode(state) == 0o700)
        #expect(try Self.mode(root + "/state") == 0o700)
        #expect(try Self.mode(log.path) == 0o600)

        let lock = try JobLock.acquire(stateDirectory: state, name: "build")
        lock.release()
        #expect(try Self.mode(JobLock.path(stateDirectory: state, name: "build")) == 0o600)
        #expect(try Self.mode(state + "/jobs/locks") == 0o700)

        let store = JobStore(stateDirectory: state)
        let status = JobStatus(id: "20260101-000000-build-1", kind: .build, arguments: ["build"], user: "ops", sshClient: nil, pid: 0, startedAt: Date())
        try store.write(status)
        #expect(try Self.mode(store.statusFile(status.id)) == 0o600)
        #expect(try Self.mode(store.directory(status.id)) == 0o700)

        try PodmanBuildHistory(stateDirectory: state).append(PodmanBuildRecord(startedAt: Date(), duration: 1, result: .succeeded, imageID: "i", tag: "t"))
        #expect(try Self.mode(state + "/" + PodmanBuildHistory.fileName) == 0o600)
    }

    @Test func existingWorldReadableStateIsTightened() throws {
        let state = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: state)
        let path = state + "/audit.jsonl"
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(JobAuditLog(stateDirectory: state).record(action: "up", target: "p", result: "ok") == nil)
        #expect(try Self.mode(state) == 0o700)
        #expect(try Self.mode(path) == 0o600)
    }

    @Test func auditLineIsNotAppendedThroughALink() throws {
        let state = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let victim = try Self.victim(in: state)
        let log = JobAuditLog(stateDirectory: state)
        try FileManager.default.createSymbolicLink(atPath: log.path, withDestinationPath: victim)
        let problem = try #require(log.record(action: "up", target: "pod", result: "ok"))
        #expect(problem.contains("symbolic link"), "\(problem)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    @Test func lockFileLinkIsRefusedAndItsTargetNotTruncated() throws {
        let state = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let victim = try Self.victim(in: state)
        let path = JobLock.path(stateDirectory: state, name: "backup")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        #expect(throws: JobLockError.self) { try JobLock.acquire(stateDirectory: state, name: "backup") }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    @Test func jobStatusAndLogAreNotWrittenThroughLinks() throws {
        let state = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let victim = try Self.victim(in: state)
        let store = JobStore(stateDirectory: state)
        let id = "20260101-000000-backup-1"
        try FileManager.default.createDirectory(atPath: store.directory(id), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: store.statusFile(id), withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: store.logFile(id), withDestinationPath: victim)
        try store.write(JobStatus(id: id, kind: .backup, arguments: ["backup", "run"], user: "ops", sshClient: nil, pid: 0, startedAt: Date()))
        #expect(store.read(id)?.id == id)
        // The job's output log is opened the way the launcher opens it.
        #expect(throws: PrivateFileError.symbolicLink(path: store.logFile(id))) {
            try PrivateFiles.open(store.logFile(id), flags: O_WRONLY | O_APPEND)
        }
        let history = state + "/" + PodmanBuildHistory.fileName
        try FileManager.default.createSymbolicLink(atPath: history, withDestinationPath: victim)
        #expect(throws: (any Error).self) {
            try PodmanBuildHistory(stateDirectory: state).append(PodmanBuildRecord(startedAt: Date(), duration: 1, result: .succeeded, imageID: "i", tag: "t"))
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    @Test func aLinkedJobLogIsNotFollowed() async throws {
        let state = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let victim = try Self.victim(in: state)
        let store = JobStore(stateDirectory: state)
        let id = "20260101-000000-build-2"
        try store.write(JobStatus(id: id, kind: .build, arguments: ["build"], user: "ops", sshClient: nil, pid: 0, startedAt: Date()))
        try FileManager.default.createSymbolicLink(atPath: store.logFile(id), withDestinationPath: victim)
        var lines: [String] = []
        for await line in JobLogFollower(store: store, id: id).lines(follow: false) { lines.append(line) }
        #expect(!lines.contains("precious"), "the follower printed the link's target")
    }

    @Test func stateFolderOfAnotherUserIsRefused() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let state = root + "/opencode-ops"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        #expect(chown(state, 65534, 65534) == 0)
        let problem = try #require(JobAuditLog(stateDirectory: state).record(action: "up", target: "p", result: "ok"))
        #expect(problem.contains("belongs to uid 65534"), "\(problem)")
        #expect(!FileManager.default.fileExists(atPath: state + "/audit.jsonl"))
        do {
            _ = try JobLock.acquire(stateDirectory: state, name: "build")
            Issue.record("lock taken in a folder owned by uid 65534")
        } catch {
            #expect("\(error)".contains("belongs to uid 65534"))
        }
    }
}
