import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts long operations as detached jobs that outlive the console and its SSH session.
///
/// A job is this program run as `opencode-ops job-run <id>`, which runs the job's subcommand
/// (`build`, `rebuild`, `backup run`, `backup restore ID --yes`) in-process and records its end.
/// It is spawned in a session of its own (setsid: no controlling terminal, so a closed SSH
/// connection, SIGHUP or Ctrl-C in the console never reaches it), with stdin from /dev/null and
/// stdout and stderr appended to `jobs/<id>/output.log` in the state directory.
///
/// Usage, from the console's runners and the CLI alike:
///
///     let launcher = JobLauncher(stateDirectory: paths.stateDirectory)
///     let status = try launcher.start(JobRequest(kind: .rebuild)).status  // throws .lock(.busy) when one runs
///     for await line in JobLogFollower(store: launcher.store, id: status.id).lines() { ... }
///     launcher.store.read(status.id)?.state                        // .succeeded / .failed / .abandoned
///
/// One job per lock group (`JobKind.lockName`) at a time: the launcher takes the flock and hands
/// the descriptor to the job, which holds it until it ends.
public struct JobLauncher: Sendable {
    /// The opencode-ops executable the job runs.
    public var executable: String
    public var stateDirectory: String
    /// The job's environment (this process's by default: XDG paths, CONTAINERS_CONF...).
    public var environment: [String: String]
    public var identity: JobIdentity

    public init(
        stateDirectory: String,
        executable: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        identity: JobIdentity? = nil
    ) {
        self.stateDirectory = stateDirectory
        self.executable = executable ?? BundledThemesLocator.currentExecutable() ?? CommandLine.arguments[0]
        self.environment = environment
        self.identity = identity ?? .current(environment: environment)
    }

    public var store: JobStore { JobStore(stateDirectory: stateDirectory) }
    public var audit: JobAuditLog { JobAuditLog(stateDirectory: stateDirectory, identity: identity) }

    /// Starts the job and returns its status (running, with the job's pid) and notes such as a
    /// cleared stale lock. Every start and refusal goes to the audit log.
    public func start(_ request: JobRequest, now: Date = Date()) throws(JobLaunchError) -> JobStarted {
        let target = request.target ?? request.kind.lockName
        let lock: JobLock
        do {
            lock = try JobLock.acquire(stateDirectory: stateDirectory, name: request.kind.lockName)
        } catch {
            audit.record(action: request.kind.rawValue, target: target, result: "refused: \(error)")
            throw .lock(error)
        }
        var notes: [String] = []
        if let stale = lock.staleHolder {
            notes.append("cleared a stale \(lock.name) lock left by job \(stale.jobID) (its process is gone)")
            audit.record(action: "clear-stale-lock", target: stale.jobID, result: "cleared")
        }
        let id = store.newID(kind: request.kind, now: now)
        var status = JobStatus(
            id: id, kind: request.kind, arguments: request.arguments, user: identity.user,
            sshClient: identity.sshClient, pid: 0, startedAt: now
        )
        do {
            try store.write(status)
        } catch {
            lock.release()
            throw .io("\(error)")
        }
        lock.record(JobLockHolder(jobID: id, kind: request.kind, user: identity.user, sshClient: identity.sshClient, startedAt: now))
        let pid: pid_t
        do {
            pid = try spawn(id: id, lockDescriptor: lock.fileDescriptor)
        } catch {
            lock.release()
            status.state = .failed
            status.endedAt = Date()
            try? store.write(status)
            audit.record(action: request.kind.rawValue, target: target, result: "failed to start: \(error)")
            throw error
        }
        lock.handOver()
        status.pid = pid
        audit.record(action: request.kind.rawValue, target: target, result: "started job \(id)")
        return JobStarted(status: status, notes: notes)
    }

    private func spawn(id: String, lockDescriptor: Int32) throws(JobLaunchError) -> pid_t {
        let log = open(store.logFile(id), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw .io("cannot open \(store.logFile(id)): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, devNull, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        // dup2 clears close-on-exec: the job inherits the lock as descriptor 3.
        posix_spawn_file_actions_adddup2(&actions, lockDescriptor, 3)
        Self.closeFrom(4, &actions)

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
        // Its own session: no controlling terminal, out of the console's process group.
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | Self.setsidFlag)
        )

        let arguments = [executable, "job-run", id, "--lock-fd", "3"]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw .io("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        // Reap it when it ends so no zombie stays behind while this process lives on.
        let child = pid
        Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }.start()
        return pid
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

    /// Descriptors the console opened without close-on-exec (its wake pipe, the terminal) must
    /// not leak into a job that outlives it.
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

public enum JobLaunchError: Error, CustomStringConvertible, Sendable {
    case lock(JobLockError)
    case io(String)

    public var description: String {
        switch self {
        case .lock(let error): return error.description
        case .io(let message): return message
        }
    }
}

/// A started job and anything worth telling the operator about its start.
public struct JobStarted: Sendable {
    public var status: JobStatus
    public var notes: [String]
}
