import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals when the jobs directory or the audit log changes: a job started or ended here, in
/// another console or from the CLI. Sleeps in inotify; every `livenessCheck` seconds without
/// events it signals too, because a job killed by SIGKILL changes no file.
public struct JobsWatch: Sendable {
    public let stateDirectory: String

    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    public func changes(livenessCheck: TimeInterval = 5) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let stopped = StopFlag()
        continuation.onTermination = { _ in stopped.stop() }
        let store = JobStore(stateDirectory: stateDirectory)
        let stateDirectory = stateDirectory
        Thread {
            defer { continuation.finish() }
            try? PrivateFiles.makeDirectory(store.root)
            #if os(Linux)
            let watch = inotify_init1(Int32(IN_CLOEXEC))
            defer { if watch >= 0 { close(watch) } }
            var watched = Set<String>()
            func watchAll() {
                guard watch >= 0 else { return }
                // The state directory for audit.jsonl, the jobs root for new jobs, each job's
                // directory for its status file being replaced.
                let directories = [stateDirectory, store.root]
                    + ((try? FileManager.default.contentsOfDirectory(atPath: store.root)) ?? [])
                        .filter { $0 != "locks" }.map(store.directory)
                for directory in directories where !watched.contains(directory) {
                    let mask = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE | (directory == stateDirectory ? IN_MODIFY : 0)
                    if inotify_add_watch(watch, directory, UInt32(mask)) >= 0 { watched.insert(directory) }
                }
            }
            watchAll()
            var buffer = [UInt8](repeating: 0, count: 8192)
            while !stopped.isStopped {
                var descriptor = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(livenessCheck * 1000))
                if stopped.isStopped { break }
                if ready > 0 {
                    _ = read(watch, &buffer, buffer.count)
                    // Let a burst of writes settle into one signal.
                    usleep(50_000)
                    var more = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
                    while poll(&more, 1, 0) > 0 { _ = read(watch, &buffer, buffer.count) }
                    watchAll()
                }
                continuation.yield()
            }
            #else
            while !stopped.isStopped {
                usleep(UInt32(livenessCheck * 1_000_000))
                continuation.yield()
            }
            #endif
        }.start()
        return stream
    }
}
