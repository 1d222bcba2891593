import ArgumentParser
import Foundation

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

    /// Top-level subcommand names, `help` included.
    static var subcommandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// With a default subcommand, the parser takes an unknown word for the console's and
    /// `opencode-ops aply --help` prints the console's help and exits 0: catch the word first.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let word = arguments.first, !word.hasPrefix("-"), !subcommandNames.contains(word) {
            printError("error: unknown subcommand '\(word)'; known subcommands: \(subcommandNames.joined(separator: ", "))")
            Self.exit(withError: ExitCode(64))
        }
        await main(arguments)
    }
}
