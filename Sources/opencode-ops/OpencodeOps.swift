import ArgumentParser

@main
struct OpencodeOps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opencode-ops",
        abstract: "Terminal operations console for an OpenCode server container.",
        version: "0.1.0",
        subcommands: [ConsoleCommand.self] + SettingsCommands.all + PodmanCommands.all + ProbeCommands.all
            + BackupCommands.all + JobCommands.all + KubeCommands.all,
        defaultSubcommand: ConsoleCommand.self
    )
}
