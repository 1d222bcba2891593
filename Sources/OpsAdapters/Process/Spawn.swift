import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// posix_spawn as every child of this program needs it: the given descriptors become the
/// child's 0, 1, 2, ..., every other descriptor is closed (a leaked pipe end would keep someone
/// else's reader waiting for EOF; the console's wake pipe and terminal must not reach a job),
/// and signal dispositions and mask are reset to the defaults.
enum Spawn {
    /// Starts `path` with `arguments` (without argv[0]); `newSession` puts the child in a session
    /// of its own, away from the terminal and its signals. Returns the pid, or the errno.
    static func start(
        _ path: String, arguments: [String], environment: [String: String],
        descriptors: [Int32], newSession: Bool = false
    ) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec, so these are inherited whatever their flags.
        for (target, source) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        closeFrom(Int32(descriptors.count), &actions)

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
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newSession { flags |= setsidFlag }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        return spawned == 0 ? .success(pid) : .failure(SpawnError(code: spawned))
    }

    /// POSIX_SPAWN_SETSID (glibc 2.26+), not imported into Swift on every platform.
    private static let setsidFlag: Int32 = {
        #if os(Linux)
        return 0x80
        #else
        return 0x400
        #endif
    }()

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34+ `posix_spawn_file_actions_addclosefrom_np`, looked up at run time because
    /// Swift does not import it; older systems fall back to closing the open descriptors listed
    /// in /proc/self/fd.
    private static func closeFrom(_ first: Int32, _ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, first) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd >= first {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}

struct SpawnError: Error {
    let code: Int32
    var reason: String { String(cString: strerror(code)) }
}
