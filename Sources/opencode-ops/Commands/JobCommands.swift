import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// Subcommands: jobs (list, start, attach, log), audit, and the hidden job-run that a detached
/// job runs as.
enum JobCommands {
    static let all: [any ParsableCommand.Type] = [JobsCommand.self, AuditCommand.self, JobRunCommand.self]
}

/// `--readonly` for changing subcommands: refuse, whatever config says.
struct ReadonlyOption: ParsableArguments {
    @Flag(name: .long, help: "Refuse every action that changes something (as `readonly: true` in config).")
    var readonly = false

    /// Refuses with a message (exit 3) when the flag or config says read-only; the refusal is
    /// audited.
    func requireWritable(_ action: String, context: PodmanCommandContext, target: String? = nil) throws {
        if readonly {
            CommandAudit.record(action, target: target ?? action, result: "refused: read-only (--readonly)")
            printError("\(action) refused: --readonly is set")
            throw ExitCode(3)
        }
        do {
            try context.requireWritable(action)
        } catch {
            CommandAudit.record(action, target: target ?? action, result: "refused: read-only (config)")
            throw error
        }
    }
}

/// Audit entries for changing subcommands run directly from a shell. Inside a detached job
/// (`job-run` sets `OPENCODE_OPS_JOB`) the launcher and `job-run` record its start and end, so
/// the subcommand does not record it twice.
enum CommandAudit {
    static let jobVariable = "OPENCODE_OPS_JOB"

    static var inJob: Bool { ProcessInfo.processInfo.environment[jobVariable] != nil }

    /// Inside a backup or restore job, the job's id, which the script takes as the run's id.
    static func runID(for kind: JobKind) -> String? {
        JobKind.scriptRunID(jobID: ProcessInfo.processInfo.environment[jobVariable], kind: kind)
    }

    static func record(_ action: String, target: String, result: String) {
        guard !inJob else { return }
        JobAuditLog(stateDirectory: AppPaths.current().stateDirectory).record(action: action, target: target, result: result)
    }

    /// Runs a changing action and records how it ended: succeeded, or failed with its exit code.
    static func run(_ action: String, target: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
            record(action, target: target, result: "succeeded")
        } catch {
            let code = OpencodeOps.exitCode(for: error).rawValue
            record(action, target: target, result: code == 0 ? "succeeded" : "failed (exit \(code))")
            throw error
        }
    }
}
