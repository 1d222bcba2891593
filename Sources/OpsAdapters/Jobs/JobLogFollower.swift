import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A job's output: what is in its log so far, then (with `follow`) each new line as the job
/// writes it, ending when the job has ended. Wakes on inotify events in the job's directory; a
/// slow timer only re-checks that the job's process still lives, since a SIGKILL leaves no event.
public struct JobLogFollower: Sendable {
    public let store: JobStore
    public let id: String

    public init(store: JobStore, id: String) {
        self.store = store
        self.id = id
    }

    public func lines(follow: Bool = true, livenessCheck: TimeInterval = 1) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
        let stopped = StopFlag()
        continuation.onTermination = { _ in stopped.stop() }
        let store = store
        let id = id
        Thread {
            defer { continuation.finish() }
            // Only the log the launcher wrote: a link planted in its place is not followed.
            let log = open(store.logFile(id), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard log >= 0 else { return }
            defer { close(log) }
            #if os(Linux)
            let watch = follow ? inotify_init1(Int32(IN_CLOEXEC)) : -1
            if watch >= 0 {
                _ = inotify_add_watch(watch, store.directory(id), UInt32(IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE))
            }
            defer { if watch >= 0 { close(watch) } }
            #else
            let watch: Int32 = -1
            #endif
            var splitter = JobLineSplitter()
            var buffer = [UInt8](repeating: 0, count: 65536)
            func drain() {
                while true {
                    let count = read(log, &buffer, buffer.count)
                    if count <= 0 { return }
                    for line in splitter.feed(buffer[0..<count]) { continuation.yield(line) }
                }
            }
            while !stopped.isStopped {
                // Read the status before draining: output written before the end is then
                // always drained before the stream finishes.
                let finished = store.read(id)?.state.isFinished ?? true
                drain()
                if finished || !follow { break }
                if watch >= 0 {
                    var descriptor = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
                    if poll(&descriptor, 1, Int32(livenessCheck * 1000)) > 0 {
                        _ = read(watch, &buffer, buffer.count)
                    }
                } else {
                    usleep(UInt32(livenessCheck * 1_000_000))
                }
            }
            if let rest = splitter.flush() { continuation.yield(rest) }
        }.start()
        return stream
    }
}

/// Set once by the consumer going away; read by the follower thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    func stop() { lock.lock(); stopped = true; lock.unlock() }
    var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
}

/// Splits appended bytes into lines across read boundaries.
struct JobLineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: ArraySlice<UInt8>) -> [String] {
        pending.append(contentsOf: bytes)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            lines.append(line)
            pending.removeSubrange(...newline)
        }
        return lines
    }

    mutating func flush() -> String? {
        defer { pending = [] }
        return pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
    }
}
