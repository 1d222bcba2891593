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
        readLog(follow: follow, livenessCheck: livenessCheck, stopped: stopped) { lines in
            for line in lines { continuation.yield(line) }
        } done: {
            continuation.finish()
        }
        return stream
    }

    /// Follows the log for a view that keeps `keep` lines: lines gather in a `LineTail`, where
    /// those beyond `keep` that the reader has not taken yet are dropped and counted (a job
    /// printing faster than the console draws costs bounded memory). `onReady` says lines (or
    /// the end) are waiting, with the tail to take them from. Returns how to stop following.
    public func tail(
        keep: Int, livenessCheck: TimeInterval = 1, onReady: @escaping @Sendable (LineTail<String>) -> Void
    ) -> @Sendable () -> Void {
        let lines = LineTail<String>(capacity: keep, onReady: onReady)
        let stopped = StopFlag()
        // Stopped by the reader, the log has not ended: saying so would close a page that a
        // newer follower of the same job now fills.
        readLog(follow: true, livenessCheck: livenessCheck, stopped: stopped, emit: { lines.append($0) }) {
            if !stopped.isStopped { lines.finish() }
        }
        return { stopped.stop() }
    }

    /// Reads the log on a thread of its own, handing each read's lines to `emit`, until the job
    /// has ended (or at once without `follow`), or `stopped` is set; then calls `done`.
    private func readLog(
        follow: Bool, livenessCheck: TimeInterval, stopped: StopFlag,
        emit: @escaping @Sendable ([String]) -> Void, done: @escaping @Sendable () -> Void
    ) {
        let store = store
        let id = id
        Thread {
            defer { done() }
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
            var splitter = LineSplitter()
            var buffer = [UInt8](repeating: 0, count: 65536)
            func drain() {
                while !stopped.isStopped {
                    let count = read(log, &buffer, buffer.count)
                    if count <= 0 { return }
                    emit(splitter.feed(buffer[0..<count]))
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
            if let rest = splitter.flush() { emit([rest]) }
        }.start()
    }
}

/// Set once by the consumer going away; read by the follower thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    func stop() { lock.lock(); stopped = true; lock.unlock() }
    var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
}
