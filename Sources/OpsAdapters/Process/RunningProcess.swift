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

    init(
        executable: URL, arguments: [String], environment: [String: String], input: Data?,
        streamsLines: Bool, onChunk: (@Sendable (ProcessOutputLine.Source, Data) -> Void)?
    ) throws {
        let path = executable.path
        let stdoutPipe = try Self.makePipe()
        let stderrPipe = try Self.makePipe()
        let stdinPipe = input == nil ? nil : try Self.makePipe()
        // A child must never wait on our terminal.
        let devNull = stdinPipe == nil ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe?.read ?? devNull, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)
        // Descriptors other code opened without close-on-exec must not leak into the child
        // (a leaked pipe end keeps someone else's reader waiting for EOF).
        Self.closeFrom3(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(stdoutPipe.write)
        close(stderrPipe.write)
        if let stdinPipe { close(stdinPipe.read) }
        if devNull >= 0 { close(devNull) }
        guard spawned == 0 else {
            close(stdoutPipe.read)
            close(stderrPipe.read)
            if let stdinPipe { close(stdinPipe.write) }
            throw ProcessLaunchError.launchFailed(executable: path, reason: String(cString: strerror(spawned)))
        }
        processID = pid
        let child = pid

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

    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finalCode == nil
    }

    /// SIGTERM now, SIGKILL after `grace` if it is still running. The pid stays ours until
    /// it is reaped, so a signal can never hit an unrelated process.
    public func terminate(grace: TimeInterval = 3) {
        guard isRunning else { return }
        let pid = processID
        kill(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [weak self] in
            guard let self, self.isRunning else { return }
            kill(pid, SIGKILL)
        }
    }

    private func complete(with code: Int32) {
        lock.lock()
        finalCode = code
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

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34+ `posix_spawn_file_actions_addclosefrom_np`, looked up at run time because
    /// Swift does not import it; older systems fall back to closing the open descriptors listed
    /// in /proc/self/fd.
    private static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}

/// Splits a byte stream into lines, tolerating `\r\n` and chunk boundaries inside a line.
struct LineSplitter {
    private var buffer = Data()

    mutating func feed(_ chunk: Data) -> [String] {
        buffer.append(chunk)
        var lines: [String] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            lines.append(Self.text(buffer[buffer.startIndex..<newline]))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
        return lines
    }

    mutating func flush() -> String? {
        defer { buffer = Data() }
        return buffer.isEmpty ? nil : Self.text(buffer[...])
    }

    private static func text(_ bytes: Data) -> String {
        var line = String(decoding: bytes, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
