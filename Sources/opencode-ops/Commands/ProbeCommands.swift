import ArgumentParser

/// Subcommands that report health and environment (`health`, `env`).
enum ProbeCommands {
    static let all: [any ParsableCommand.Type] = [HealthCommand.self, EnvCommand.self]
}
