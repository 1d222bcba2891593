import Foundation
import OpsAdapters
import OpsConsole
import OpsCore

/// Jobs as the real `JobStore`, `JobLogFollower` and `JobLauncher` showed them: a job's status
/// files and log lines, recorded (see `Recordings`), replayed through the `ConsoleJobs`
/// protocol. What the runner asked of it (launches, interrupts, audit records) is kept for the
/// test to read.
final class RecordedJobs: ConsoleJobs, @unchecked Sendable {
    /// One recorded job: its status while running, its log, and its status at the end.
    struct Job: Sendable {
        var running: JobStatus
        var lines: [String]
        var ended: JobStatus
    }

    private let lock = NSLock()
    private var jobs: [Job]
    /// The jobs `start` hands out, in order; a launch error refuses.
    private var launches: [Result<Job, JobLaunchError>]
    private var launched: Set<String> = []
    private(set) var requests: [JobRequest] = []
    private(set) var interrupted: [String] = []
    private var changesLeft = 2
    private(set) var watchEnded = false
    private(set) var records: [(action: String, target: String, result: String)] = []

    init(existing: [Job] = [], launches: [Result<Job, JobLaunchError>] = []) {
        jobs = existing
        self.launches = launches
    }

    func start(_ request: JobRequest) throws(JobLaunchError) -> JobStarted {
        let next = lock.withLock { () -> Result<Job, JobLaunchError>? in
            requests.append(request)
            return launches.isEmpty ? nil : launches.removeFirst()
        }
        switch next {
        case .success(let job)?:
            lock.withLock {
                jobs.insert(job, at: 0)
                launched.insert(job.running.id)
            }
            return JobStarted(status: job.running, notes: [])
        case .failure(let error)?:
            throw error
        case nil:
            throw .io("no launch recorded")
        }
    }

    func list() -> [JobStatus] {
        lock.withLock { jobs.map(\.running) }
    }

    func read(_ id: String) -> JobStatus? {
        lock.withLock { jobs.first { $0.running.id == id }?.ended }
    }

    func lines(of id: String) -> AsyncStream<String> {
        let lines = lock.withLock { jobs.first { $0.running.id == id }?.lines ?? [] }
        return AsyncStream { continuation in
            for line in lines { continuation.yield(line) }
            continuation.finish()
        }
    }

    func tail(of id: String, keep: Int, onReady: @escaping @Sendable (LineTail<String>) -> Void) -> @Sendable () -> Void {
        let tail = LineTail<String>(capacity: keep, onReady: onReady)
        tail.append(lock.withLock { jobs.first { $0.running.id == id }?.lines ?? [] })
        tail.finish()
        return {}
    }

    /// Two wake-ups with nothing new between them, then the end (`watchEnded` once the runner
    /// asked past them).
    func changes() -> AsyncStream<Void> {
        AsyncStream(unfolding: { [self] in
            lock.withLock {
                guard changesLeft == 0 else {
                    changesLeft -= 1
                    return ()
                }
                watchEnded = true
                return nil
            }
        })
    }

    func interrupt(_ job: JobStatus) {
        lock.withLock { interrupted.append(job.id) }
    }

    func audit(limit: Int) -> [JobAuditEntry] { [] }

    func record(action: String, target: String, result: String) {
        lock.withLock { records.append((action, target, result)) }
    }
}

extension RecordedJobs.Job {
    /// A job from its recorded status.json (as it ended) and output.log; while running, the
    /// same status without its end.
    init(status json: String, log: String) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        // swiftlint:disable:next force_try
        let ended = try! decoder.decode(JobStatus.self, from: Data(json.utf8))
        var running = ended
        running.state = .running
        running.endedAt = nil
        running.exitCode = nil
        self.init(running: running, lines: log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), ended: ended)
    }
}
