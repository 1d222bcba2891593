import Foundation
import OpsAdapters
import Testing

@Suite("FileChangeWatch", .tags(.settings))
struct FileChangeWatchTests {
    /// Collects what the watch reports, for the test to wait on.
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []

        func add(_ new: [String]) {
            lock.lock()
            paths += new
            lock.unlock()
        }

        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return paths
        }

        /// Waits until `path` was reported; the ceiling only tells "reported" from "never".
        func waitFor(_ path: String) async throws -> Bool {
            for _ in 0..<1200 {
                if all.contains(path) { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
    }

    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "watch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aWriteAndAnEditorsRenameAreBothSeen() async throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let seen = Seen()
        let watch = try #require(FileChangeWatch(folders: [directory]) { seen.add($0) })
        defer { watch.stop() }
        let config = directory + "/config.yaml"
        try "port: 1\n".write(toFile: config, atomically: false, encoding: .utf8)
        #expect(try await seen.waitFor(config), "a plain write was not reported: \(seen.all)")
        // As editors save: a new file renamed over the old one.
        let count = seen.all.count
        try "port: 2\n".write(toFile: directory + "/.config.yaml.swp", atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: config)
        try FileManager.default.moveItem(atPath: directory + "/.config.yaml.swp", toPath: config)
        // The temporary file may be reported on its own first: wait for the config's own change.
        for _ in 0..<1200 where !seen.all.dropFirst(count).contains(config) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(seen.all.dropFirst(count).contains(config), "the rename was not reported: \(seen.all)")
    }

    @Test func nothingToWatchGivesNoWatchAndStopEndsIt() async throws {
        #expect(FileChangeWatch(folders: ["/nonexistent-\(UUID().uuidString)"]) { _ in } == nil)
        let directory = try folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let seen = Seen()
        let watch = try #require(FileChangeWatch(folders: [directory]) { seen.add($0) })
        watch.stop()
        try await Task.sleep(for: .milliseconds(500))
        try "x".write(toFile: directory + "/after-stop", atomically: false, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(500))
        #expect(seen.all.isEmpty, "a stopped watch still reports: \(seen.all)")
    }
}
