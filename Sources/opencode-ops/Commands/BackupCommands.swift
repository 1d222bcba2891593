import ArgumentParser

/// Subcommands: backup run|list|show|restore.
enum BackupCommands {
    static let all: [any ParsableCommand.Type] = []
}
