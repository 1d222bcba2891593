import ArgumentParser

/// Subcommands that drive podman (`up`, `down`, `build`, `rebuild`, `ps`, `logs`, `shell`).
enum PodmanCommands {
    static let all: [any ParsableCommand.Type] = [
        UpCommand.self, DownCommand.self, ApplyCommand.self, BuildCommand.self, RebuildCommand.self, PsCommand.self, LogsCommand.self,
        ShellCommand.self, RestartCommand.self, ImagesCommand.self, PruneCommand.self, StatsCommand.self,
    ]
}
