import ArgumentParser
import Foundation
import OpsConsole
import OpsTerminal

/// The interactive console: what runs when no subcommand is given.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the operations console (the default)."
    )

    @Option(help: "Theme to start with (overrides `theme:` in config).")
    var theme: String?

    @Flag(name: .long, help: "Refuse every action that changes something; status views work as usual.")
    var readonly = false

    func run() async throws {
        let loaded = Startup.load(themeOverride: theme)
        let startup = readonly ? loaded.readonly() : loaded
        let code = try await Self.runOnTerminalThread(startup: startup)
        if code != 0 { throw ExitCode(code) }
    }

    /// ncurses lives on a thread of its own: the loop blocks in poll(), which must not hold one
    /// of the few threads that run the adapters' async work.
    static func runOnTerminalThread(startup: Startup) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    let terminal = try NcursesTerminal(mouse: startup.settings.mouse)
                    let code = ConsoleApp(startup: startup, terminal: terminal).run()
                    terminal.restore()
                    continuation.resume(returning: code)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "terminal"
            thread.start()
        }
    }
}

extension Startup {
    /// The same start-up with `readonly` forced on (the `--readonly` flag).
    func readonly() -> Startup {
        var settings = settings
        settings.readonly = true
        return Startup(
            paths: paths, settingsStore: SettingsStore(settings), themeLoader: themeLoader, theme: theme,
            containerfilePath: containerfilePath, containerfileVariables: containerfileVariables, problems: problems
        )
    }
}
