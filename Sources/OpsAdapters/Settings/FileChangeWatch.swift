import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells when files in some folders are written or replaced, through inotify: no polling. Folders
/// are watched rather than files, so an editor that saves by writing a new file and renaming it
/// over the old one is seen too. Changes arriving close together are reported once.
public final class FileChangeWatch: @unchecked Sendable {
    private let inotify: Int32
    private let wake: [Int32]
    private let thread: Thread
    private let lock = NSLock()
    private var stopped = false

    /// Starts watching `folders` (missing ones are skipped); `onChange` gets the full paths that
    /// changed, on a background thread.
    public init?(folders: [String], onChange: @escaping @Sendable ([String]) -> Void) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        var watches: [Int32: String] = [:]
        for folder in Set(folders) {
            let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE)
            let watch = inotify_add_watch(fd, folder, mask)
            if watch >= 0 { watches[watch] = folder }
        }
        var pipeEnds: [Int32] = [0, 0]
        guard !watches.isEmpty, pipe(&pipeEnds) == 0 else {
            close(fd)
            return nil
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        inotify = fd
        wake = pipeEnds
        let watched = watches
        let wakeRead = pipeEnds[0]
        thread = Thread { Self.loop(inotify: fd, wake: wakeRead, watches: watched, onChange: onChange) }
        thread.name = "file-change-watch"
        thread.start()
    }

    /// Ends the watch; the thread closes its descriptors as it leaves.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
    }

    deinit {
        stop()
        close(wake[1])
    }

    private static func loop(inotify: Int32, wake: Int32, watches: [Int32: String], onChange: @Sendable ([String]) -> Void) {
        defer {
            close(inotify)
            close(wake)
        }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var pending = Set<String>()
        while true {
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            // While changes are pending, wait a little for the rest of an editor's save; otherwise sleep.
            let ready = poll(&fds, 2, pending.isEmpty ? -1 : 150)
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 || ready < 0 { return }
            if ready == 0 {
                onChange(pending.sorted())
                pending.removeAll()
                continue
            }
            let count = read(inotify, &buffer, buffer.count)
            guard count > 0 else { continue }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (watch, length) = buffer.withUnsafeBytes { raw in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.wd, Int(event.len))
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                let nameBytes = buffer[nameStart..<min(nameStart + length, count)].prefix { $0 != 0 }
                if let folder = watches[watch], !nameBytes.isEmpty {
                    pending.insert((folder as NSString).appendingPathComponent(String(decoding: nameBytes, as: UTF8.self)))
                }
                offset = nameStart + length
            }
        }
    }
}
