import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import OpsTerminal
import OpsUI

/// The run loop: terminal events and effect results become actions, `update` makes the next
/// state, and the view is drawn. It sleeps in the terminal's poll between events, so an idle
/// console costs nothing and writes nothing.
///
/// Priorities, so a flood of data never delays the operator:
/// - each turn handles signals and the terminal's end first, then keys, then what the mailbox
///   holds; a quit stops the turn at once;
/// - what waits in the mailbox is bounded: fast sources (log followers) keep only the lines the
///   view keeps and are collected once a turn (see `Mailbox`);
/// - frames are coalesced: at most one every `frameInterval`, the last one always drawn;
/// - on the way out, every child process still running is signalled at once, none waited for.
final class ConsoleApp {
    private var state: AppState
    private let terminal: NcursesTerminal
    private let mailbox: Mailbox
    private let startup: Startup
    private var exitSignal: Int32?
    private let runners: ConsoleRunners

    init(startup: Startup, terminal: NcursesTerminal) {
        self.startup = startup
        self.terminal = terminal
        let mailbox = Mailbox(wakeFileDescriptor: terminal.wakeFileDescriptor)
        self.mailbox = mailbox
        state = startup.initialState(glyphs: terminal.glyphMode, width: terminal.width, height: terminal.height)
        runners = ConsoleRunners(
            context: ConsoleContext(startup: startup, adapters: .live(paths: startup.paths), mailbox: mailbox)
        )
    }

    /// About 30 frames a second at most.
    static let frameInterval: TimeInterval = 1.0 / 30

    /// Runs until quit; returns the process exit code (128 + signal when a signal ended it).
    func run() -> Int32 {
        // The watches, clocks and probes start as effects of the console's opening.
        dispatch(.opened)
        defer {
            runners.stop()
            RunningProcess.terminateAll()
        }
        render()
        var lastFrame = DispatchTime.now()
        var frameDue = false
        while state.isRunning {
            // With a frame held back, wake in time to draw it.
            let sinceFrame = Self.seconds(since: lastFrame)
            let events = terminal.nextEvents(timeout: frameDue ? max(0, Self.frameInterval - sinceFrame) : nil)
            // What follows happened now: messages it adds carry this time.
            dispatch(.tick(Date()))
            for event in events where state.isRunning {
                if let action = action(for: event) { dispatch(action) }
            }
            if state.isRunning {
                for action in mailbox.drain() {
                    dispatch(action)
                    if !state.isRunning { break }
                }
            }
            guard state.isRunning else { break }
            frameDue = true
            if Self.seconds(since: lastFrame) >= Self.frameInterval {
                render()
                lastFrame = DispatchTime.now()
                frameDue = false
            }
        }
        return exitSignal.map { 128 + $0 } ?? 0
    }

    private static func seconds(since time: DispatchTime) -> TimeInterval {
        Double(DispatchTime.now().uptimeNanoseconds - time.uptimeNanoseconds) / 1e9
    }

    private func render() {
        terminal.draw(MainView.render(state), theme: state.theme)
    }

    private func action(for event: TerminalEvent) -> Action? {
        switch event {
        case .key(let key): return .key(key)
        case .resize(let width, let height): return .resize(width: width, height: height)
        case .click(let x, let y):
            let layout = Layout(width: state.width, height: state.height, focus: state.focus)
            return layout.panel(atX: x, y: y).map(Action.focus)
        case .wheel(let x, let y, let lines):
            let layout = Layout(width: state.width, height: state.height, focus: state.focus)
            return .scroll(layout.panel(atX: x, y: y), lines: lines)
        case .terminate(let signal):
            exitSignal = signal
            return .terminate
        case .wake: return nil
        }
    }

    private func dispatch(_ action: Action) {
        let (next, effects) = update(state, action)
        state = next
        effects.forEach(perform)
    }

    /// `e`/`E`: the program gets the terminal on this thread (the only one using ncurses); the
    /// loop waits meanwhile, and effect results queue in the mailbox until it returns.
    private func runExec(_ target: ExecTarget) {
        switch ContainerExecSession.plan(target, settings: startup.settings, paths: startup.paths) {
        case .failure(let error):
            dispatch(.message("\(target.program): \(error)"))
        case .success(let plan):
            let client = PodmanClient(settings: startup.settings)
            let (_, summary) = terminal.runOutside { ContainerExecSession.run(plan, client: client) }
            dispatch(.resize(width: terminal.width, height: terminal.height))
            dispatch(.message(summary))
        }
    }

    private func perform(_ effect: Effect) {
        if runners.perform(effect) { return }
        switch effect {
        case .loadTheme(let name):
            // Theme files are small and local: loading inline keeps the switch instant.
            let (theme, diagnostics) = startup.themeLoader.load(named: name)
            dispatch(.themeLoaded(theme, problems: diagnostics.map(\.description)))
        case .reloadTheme(let name):
            // An edit that does not read cleanly keeps the running theme: a half-saved file
            // must not turn the screen into the fallback's colours.
            let (theme, diagnostics) = startup.themeLoader.load(named: name)
            if diagnostics.isEmpty {
                dispatch(.themeLoaded(theme, problems: []))
            } else {
                for problem in diagnostics { dispatch(.message(problem.description, level: .failure)) }
                dispatch(.message("theme \(name) not reloaded: the running theme is kept", level: .failure))
            }
        case .exec(let target):
            runExec(target)
        default:
            break
        }
    }
}
