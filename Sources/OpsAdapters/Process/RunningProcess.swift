import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A started child process. Its output arrives as lines on `output` (when started for
/// streaming); `exitCode()` waits for it to end; `terminate` stops it.
///
/// Started with posix_spawn and reaped by a thread blocked in waitpid on exactly this pid:
/// Foundation's `Process` on Linux sometimes never reports the exit of one of many children
/// started concurrently, which left zombies and hung callers.
public final class RunningProcess: @unchecked Sendable {
    public let processID: Int32
    /// stdout and stderr lines in arrival order; finishes after the process exits and its
    /// pipes are drained.
    public let output: AsyncStream<ProcessOutputLine>

    private let continuation: AsyncStream<ProcessOutputLine>.Continuation
    private let lock = NSLock()
    // Guarded by `lock`.
    private var finalCode: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []
    /// Our end of the child's stdin when it was started with `keepsInputOpen`, until closed.
    private var inputSocket: Int32 = -1

    init(
        executable: URL, arguments: [String], environment: [String: String], input: Data?,
        keepsInputOpen: Bool = false,
        streamsLines: Bool, onChunk: (@Sendable (ProcessOutputLine.Source, Data) -> Void)?
    ) throws {
        let path = executable.path
        let stdoutPipe = try Self.makePipe()
        let stderrPipe = try Self.makePipe()
        let stdinPipe = input == nil ? nil : try Self.makePipe()
        // An input kept open is a socket, so a write after the child died fails with EPIPE
        // (MSG_NOSIGNAL) instead of killing this process with SIGPIPE.
        let stdinSocket = keepsInputOpen && input == nil ? try Self.makeSocketPair() : nil
        // A child must never wait on our terminal.
        let devNull = stdinPipe == nil && stdinSocket == nil ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1

        let spawned = Spawn.start(
            path, arguments: arguments, environment: environment,
            descriptors: [stdinPipe?.read ?? stdinSocket?.child ?? devNull, stdoutPipe.write, stderrPipe.write]
        )
        close(stdoutPipe.write)
        close(stderrPipe.write)
        if let stdinPipe { close(stdinPipe.read) }
        if let stdinSocket { close(stdinSocket.child) }
        if devNull >= 0 { close(devNull) }
        let pid: pid_t
        switch spawned {
        case .success(let started):
            pid = started
        case .failure(let error):
            close(stdoutPipe.read)
            close(stderrPipe.read)
            if let stdinPipe { close(stdinPipe.write) }
            if let stdinSocket { close(stdinSocket.parent) }
            throw ProcessLaunchError.launchFailed(executable: path, reason: error.reason)
        }
        inputSocket = stdinSocket?.parent ?? -1
        processID = pid
        let child = pid
        Self.live.add(child)

        // Unbounded: a slow reader must never block the child.
        let (stream, continuation) = AsyncStream<ProcessOutputLine>.makeStream(bufferingPolicy: .unbounded)
        self.output = stream
        self.continuation = continuation

        if let stdinPipe, let input {
            Thread {
                input.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count {
                        let written = write(stdinPipe.write, buffer.baseAddress! + offset, buffer.count - offset)
                        if written < 0 { if errno == EINTR { continue } else { break } }
                        offset += written
                    }
                }
                close(stdinPipe.write)
            }.start()
        }

        let readers = DispatchGroup()
        for (fd, source) in [(stdoutPipe.read, ProcessOutputLine.Source.stdout), (stderrPipe.read, .stderr)] {
            readers.enter()
            Thread {
                var splitter = LineSplitter()
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = read(fd, &buffer, buffer.count)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    let chunk = Data(buffer[0..<count])
                    onChunk?(source, chunk)
                    if streamsLines {
                        for line in splitter.feed(chunk) { continuation.yield(ProcessOutputLine(source: source, text: line)) }
                    }
                }
                if streamsLines, let rest = splitter.flush() {
                    continuation.yield(ProcessOutputLine(source: source, text: rest))
                }
                close(fd)
                readers.leave()
            }.start()
        }
        Thread { [self] in
            // Wait for the exit without reaping, and forget the pid before reaping it: until
            // then it cannot belong to another process, so a signal sent through `live` never
            // hits one.
            var info = siginfo_t()
            while waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
            Self.live.remove(child)
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(child, &status, 0) } while result < 0 && errno == EINTR
            let code: Int32
            if result < 0 {
                code = -1
            } else if status & 0x7f == 0 {
                code = (status >> 8) & 0xff
            } else {
                code = 128 + (status & 0x7f)
            }
            // A grandchild that kept our pipes open (a container started by the killed
            // process) must not keep the caller waiting long after the process itself ended.
            _ = readers.wait(timeout: .now() + 2)
            continuation.finish()
            complete(with: code)
        }.start()
        continuation.onTermination = { [weak self] termination in
            // The consumer stopped listening: the process has no reason to go on.
            if case .cancelled = termination { self?.terminate() }
        }
    }

    /// Waits for the process to exit and its output to be read; returns the exit status
    /// (128 + signal number when killed by a signal, as a shell reports it).
    public func exitCode() async -> Int32 {
        await withCheckedContinuation { waiter in
            lock.lock()
            if let finalCode {
                lock.unlock()
                waiter.resume(returning: finalCode)
            } else {
                waiters.append(waiter)
                lock.unlock()
            }
        }
    }

    /// Writes to the child's stdin (started with `keepsInputOpen`). Throws when the input is
    /// closed or the child no longer reads it.
    public func writeInput(_ data: Data) throws {
        try lock.withLock {
            guard inputSocket >= 0 else { throw ProcessInputError.closed }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let sent = send(inputSocket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if sent < 0 {
                        if errno == EINTR { continue }
                        throw ProcessInputError.failed(String(cString: strerror(errno)))
                    }
                    offset += sent
                }
            }
        }
    }

    /// Closes the child's stdin: it reads end of file.
    public func closeInput() {
        lock.withLock {
            guard inputSocket >= 0 else { return }
            shutdown(inputSocket, Int32(SHUT_WR))
            close(inputSocket)
            inputSocket = -1
        }
    }

    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finalCode == nil
    }

    /// SIGTERM now, SIGKILL after `grace` if it is still running. The pid stays ours until
    /// it is reaped, so a signal can never hit an unrelated process.
    public func terminate(grace: TimeInterval = 3) {
        let pid = processID
        guard Self.live.signal(pid, SIGTERM) else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
            _ = Self.live.signal(pid, SIGKILL)
        }
    }

    /// SIGTERM to every child started here that still runs, all at once and without waiting:
    /// how the console leaves (followers and probes have nothing to finish). Detached jobs are
    /// not started here, so they go on.
    public static func terminateAll() {
        live.signalAll(SIGTERM)
    }

    /// Children not yet reaped, by pid.
    private static let live = LiveProcesses()

    private func complete(with code: Int32) {
        lock.lock()
        finalCode = code
        if inputSocket >= 0 {
            close(inputSocket)
            inputSocket = -1
        }
        let pending = waiters
        waiters = []
        lock.unlock()
        for waiter in pending { waiter.resume(returning: code) }
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw ProcessLaunchError.launchFailed(executable: "pipe", reason: String(cString: strerror(errno)))
        }
        // pipe2 is not imported into Swift; children close descriptors from 3 up anyway.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private static func makeSocketPair() throws -> (parent: Int32, child: Int32) {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else {
            throw ProcessLaunchError.launchFailed(executable: "socketpair", reason: String(cString: strerror(errno)))
        }
        return (fds[0], fds[1])
    }
}

/// Writing to a child's stdin failed.
public enum ProcessInputError: Error, Equatable, Sendable {
    /// The input was closed, or the child has exited.
    case closed
    case failed(String)
}

/// The pids of running children, so they can be signalled without racing their reaping.
private final class LiveProcesses: @unchecked Sendable {
    private let lock = NSLock()
    private var pids: Set<pid_t> = []

    func add(_ pid: pid_t) { lock.withLock { _ = pids.insert(pid) } }

    func remove(_ pid: pid_t) { lock.withLock { _ = pids.remove(pid) } }

    /// Signals `pid` if it has not exited yet; false when it has.
    func signal(_ pid: pid_t, _ signal: Int32) -> Bool {
        lock.withLock {
            guard pids.contains(pid) else { return false }
            kill(pid, signal)
            return true
        }
    }

    func signalAll(_ signal: Int32) {
        lock.withLock { for pid in pids { kill(pid, signal) } }
    }
}
