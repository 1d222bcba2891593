import ArgumentParser

/// Subcommands: jobs, audit.
enum JobCommands {
    static let all: [any ParsableCommand.Type] = []
}
