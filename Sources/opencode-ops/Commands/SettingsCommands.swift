import ArgumentParser

/// Subcommands about the console's own files (`info`, `init`).
enum SettingsCommands {
    static let all: [any ParsableCommand.Type] = [InfoCommand.self, InitCommand.self]
}
