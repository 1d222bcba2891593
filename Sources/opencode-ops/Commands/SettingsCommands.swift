import ArgumentParser

/// Subcommands about the console's own files (`info`, `config`).
enum SettingsCommands {
    static let all: [any ParsableCommand.Type] = []
}
