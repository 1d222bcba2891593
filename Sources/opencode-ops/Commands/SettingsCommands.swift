import ArgumentParser

/// Subcommands about the console's own files (`info`).
enum SettingsCommands {
    static let all: [any ParsableCommand.Type] = [InfoCommand.self]
}
