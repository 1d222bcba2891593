import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops jobs`: detached jobs, running and finished.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List detached jobs (builds, rebuilds, backups, restores, verifies); start, attach to or print one.",
        subcommands: [JobsListCommand.self, JobsStartCommand.self, JobsAttachCommand.self, JobsLogCommand.self],
        defaultSubcommand: JobsListCommand.self
    )
}

struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let store = JobStore(stateDirectory: AppPaths.current().stateDirectory)
        let jobs = store.list()
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            emit(String(decoding: try encoder.encode(jobs), as: UTF8.self))
            return
        }
        if jobs.isEmpty {
            emit("no jobs yet")
            return
        }
        emit(JobTable.header)
        for job in jobs { emit(JobTable.row(job)) }
    }
}

/// `opencode-ops jobs start KIND [BACKUP-ID]`: start a job detached and return (or follow it).
struct JobsStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a job detached from this terminal: build, rebuild, rollback, apply, backup, restore ID, verify ID."
    )

    @Argument(help: "build, rebuild, rollback, apply, backup, restore or verify.")
    var kind: String

    @Argument(help: "The backup id, for restore and verify.")
    var target: String?

    @Flag(name: .long, help: "Print the job's output until it ends (Ctrl-C detaches; the job goes on).")
    var follow = false

    @OptionGroup var waitOption: WaitOption

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        guard let kind = JobKind(rawValue: kind) else {
            printError("error: unknown job kind \"\(self.kind)\"; one of: \(JobKind.allCases.map(\.rawValue).joined(separator: ", "))")
            throw ExitCode.validationFailure
        }
        if (kind == .restore || kind == .verify) && (target ?? "").isEmpty {
            printError("error: \(kind.rawValue) needs the backup id: `opencode-ops jobs start \(kind.rawValue) ID`")
            throw ExitCode.validationFailure
        }
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        let launcher = JobLauncher(stateDirectory: context.paths.stateDirectory)
        try readonly.requireWritable(kind.rawValue, context: context, target: target ?? kind.lockName)
        let started: JobStarted
        do {
            let backup = kind == .restore || kind == .verify ? target.map { JobTarget.backup(id: $0) } : nil
            started = try launcher.start(JobRequest(kind: kind, target: backup, waits: waitOption.wait))
        } catch {
            printError("error: \(error)")
            throw ExitCode(4)
        }
        for note in started.notes { printError("note: \(note)") }
        emit("started job \(started.status.id) (\(started.status.commandLine)), pid \(started.status.pid)")
        if follow {
            try await JobAttach.follow(store: launcher.store, id: started.status.id, announce: false)
        } else {
            emit("see it with `opencode-ops jobs attach \(started.status.id)`")
        }
    }
}

struct JobsAttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Print a job's output and follow it until it ends; exits with the job's exit code."
    )

    @Argument(help: "The job id (a unique prefix is enough).")
    var id: String

    @Flag(name: .long, help: "Print the job's events too, as JSON lines.")
    var events = false

    func run() async throws {
        let store = JobStore(stateDirectory: AppPaths.current().stateDirectory)
        try await JobAttach.follow(store: store, id: try JobAttach.resolve(id, in: store), announce: true, events: events)
    }
}

struct JobsLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print a job's output, following it while the job runs."
    )

    @Argument(help: "The job id (a unique prefix is enough).")
    var id: String

    @Flag(name: .long, help: "Print what is there now and return.")
    var noFollow = false

    @Flag(name: .long, help: "Print the job's events too, as JSON lines.")
    var events = false

    func run() async throws {
        let store = JobStore(stateDirectory: AppPaths.current().stateDirectory)
        let id = try JobAttach.resolve(id, in: store)
        for await line in JobLogFollower(store: store, id: id).lines(follow: !noFollow) { JobAttach.show(line, events: events) }
    }
}

enum JobAttach {
    /// Prints a log line's text, and an event (as its JSON) only when asked; returns the text
    /// printed, if any.
    @discardableResult
    static func show(_ line: String, events: Bool) -> String? {
        switch JobLogLine(line) {
        case .text(let text):
            emit(text)
            return text
        case .event:
            guard events else { return nil }
            let json = String(line.dropFirst(JobLogLine.eventPrefix.count))
            emit(json)
            return json
        }
    }

    /// An exact id, or the one job whose id starts with (or contains) `given`.
    static func resolve(_ given: String, in store: JobStore) throws -> String {
        let ids = store.list().map(\.id)
        if ids.contains(given) { return given }
        let matches = ids.filter { $0.hasPrefix(given) || $0.contains(given) }
        guard matches.count == 1 else {
            printError(matches.isEmpty ? "error: no job \(given); see `opencode-ops jobs`" : "error: \(given) matches \(matches.count) jobs: \(matches.joined(separator: ", "))")
            throw ExitCode.failure
        }
        return matches[0]
    }

    static func follow(store: JobStore, id: String, announce: Bool, events: Bool = false) async throws {
        if announce, let status = store.read(id) {
            emit("job \(id): \(status.commandLine), \(status.state.rawValue), started by \(status.startedBy)")
        }
        var last: String?
        for await line in JobLogFollower(store: store, id: id).lines() { last = show(line, events: events) ?? last }
        guard let status = store.read(id) else { return }
        // The job writes this same line to its log just after its status: it is printed once,
        // whether or not the follower read it before it saw the job end.
        let result = "job \(id) \(JobTable.result(status))"
        if last != result { emit(result) }
        if status.state != .succeeded { throw ExitCode(status.exitCode.map { $0 == 0 ? 1 : $0 } ?? 1) }
    }
}

/// The text form of `jobs`.
enum JobTable {
    static let header = pad("ID", 34) + pad("KIND", 9) + pad("STATE", 11) + pad("STARTED", 20) + "BY"

    static func row(_ job: JobStatus) -> String {
        pad(job.id, 34) + pad(job.kind.rawValue, 9) + pad(stateText(job), 11) + pad(time(job.startedAt), 20) + job.startedBy
    }

    static func stateText(_ job: JobStatus) -> String {
        switch job.state {
        case .failed: return "failed(\(job.exitCode ?? -1))"
        default: return job.state.rawValue
        }
    }

    static func result(_ job: JobStatus) -> String {
        switch job.state {
        case .running: return "is still running"
        case .succeeded: return "succeeded"
        case .failed: return "failed (exit \(job.exitCode ?? -1))"
        case .abandoned: return "was abandoned: its process died without recording an end (killed?)"
        }
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
