import ArgumentParser

/// Subcommands: jobs (list, start, attach, log), audit, and the hidden job-run that a detached
/// job runs as.
enum JobCommands {
    static let all: [any ParsableCommand.Type] = [JobsCommand.self, AuditCommand.self, JobRunCommand.self]
}

/// `--readonly` for changing subcommands: refuse, whatever config says.
struct ReadonlyOption: ParsableArguments {
    @Flag(name: .long, help: "Refuse every action that changes something (as `readonly: true` in config).")
    var readonly = false

    /// Refuses with a message (exit 3) when the flag or config says read-only.
    func requireWritable(_ action: String, context: PodmanCommandContext) throws {
        if readonly {
            printError("\(action) refused: --readonly is set")
            throw ExitCode(3)
        }
        try context.requireWritable(action)
    }
}
