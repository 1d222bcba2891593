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
        let target = request.auditTarget
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
            sshClient: identity.sshClient, pid: 0, startedAt: now, target: request.target
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
        let log: Int32
        do {
            log = try PrivateFiles.open(store.logFile(id), flags: O_WRONLY | O_APPEND)
        } catch {
            throw .io(error.description)
        }
        defer { close(log) }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }

        // The job inherits the lock as descriptor 3; its own session keeps it out of the
        // console's process group, away from the terminal's SIGHUP and Ctrl-C.
        let pid: pid_t
        switch Spawn.start(
            executable, arguments: ["job-run", id, "--lock-fd", "3"], environment: environment,
            descriptors: [devNull, log, log, lockDescriptor], newSession: true
        ) {
        case .success(let started): pid = started
        case .failure(let error): throw .io("cannot start \(executable): \(error.reason)")
        }
        // Reap it when it ends so no zombie stays behind while this process lives on.
        let child = pid
        Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }.start()
        return pid
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

    public init(status: JobStatus, notes: [String]) {
        self.status = status
        self.notes = notes
    }
}
