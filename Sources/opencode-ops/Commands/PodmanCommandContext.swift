import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// What every podman subcommand needs, built the way the console builds it: settings from
/// config.yaml, XDG paths, and the adapters on top.
struct PodmanCommandContext {
    var settings: Settings
    var paths: AppPaths
    var diagnostics: [ConfigDiagnostic]

    /// The single place the subcommands take their settings from.
    static func load() -> PodmanCommandContext {
        let paths = AppPaths.current()
        let actions = Set(Command.allCases.map(\.rawValue))
        let (settings, diagnostics) = SettingsLoader.load(from: paths.configFile, knownKeyActions: actions)
        return PodmanCommandContext(settings: settings, paths: paths, diagnostics: diagnostics)
    }

    var client: PodmanClient { PodmanClient(settings: settings) }

    var secrets: SecretsFileCheck {
        SecretsFileCheck(path: paths.secretsFile(for: settings), isDefault: settings.envFile.trimmingCharacters(in: .whitespaces).isEmpty)
    }

    var deployer: PodmanDeployer { PodmanDeployer(client: client, settings: settings, secrets: secrets) }

    var builder: PodmanBuilder {
        PodmanBuilder(client: client, settings: settings, history: PodmanBuildHistory(stateDirectory: paths.stateDirectory))
    }

    var rebuilder: PodmanRebuilder { PodmanRebuilder(deployer: deployer, builder: builder) }

    /// Config problems go to stderr before anything runs, so a bad key is never silent.
    func reportDiagnostics() {
        for diagnostic in diagnostics { printError("warning: \(diagnostic)") }
    }

    /// Refuses a changing command when the settings say read-only.
    func requireWritable(_ command: String) throws {
        if settings.readonly {
            printError("\(command) refused: readonly is set in \(paths.configFile)")
            throw ExitCode(3)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(TerminalOutput.line(text, terminal: TerminalOutput.standardErrorIsTerminal))
}

/// Prints a podman failure and exits non-zero.
func fail(_ failure: PodmanFailure) -> ExitCode {
    emitEvent(.failed(message: failure.message))
    printError("error: \(failure.message)")
    return ExitCode.failure
}

/// Human duration: `42 s`, `3 min 5 s`, `2 h 10 min`.
func formatDuration(_ seconds: TimeInterval) -> String {
    let total = Int(seconds.rounded())
    if total < 60 { return "\(total) s" }
    if total < 3600 { return "\(total / 60) min \(total % 60) s" }
    return "\(total / 3600) h \(total % 3600 / 60) min"
}

/// Writes a line to stdout unbuffered, so streamed output appears live even through a pipe.
func emit(_ text: String) {
    FileHandle.standardOutput.write(TerminalOutput.line(text, terminal: TerminalOutput.standardOutputIsTerminal))
}
