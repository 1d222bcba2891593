import Foundation
import OpsAdapters
import OpsCore
import OpsTerminal
import OpsUI

/// The run loop: terminal events and effect results become actions, `update` makes the next
/// state, and the view is drawn. It sleeps in the terminal's poll between events, so an idle
/// console costs nothing and writes nothing.
final class ConsoleApp {
    private var state: AppState
    private let terminal: NcursesTerminal
    private let mailbox: Mailbox
    private let startup: Startup
    private var exitSignal: Int32?

    init(startup: Startup, terminal: NcursesTerminal) {
        self.startup = startup
        self.terminal = terminal
        mailbox = Mailbox(wakeFileDescriptor: terminal.wakeFileDescriptor)
        state = startup.initialState(glyphs: terminal.glyphMode, width: terminal.width, height: terminal.height)
    }

    /// Runs until quit; returns the process exit code (128 + signal when a signal ended it).
    func run() -> Int32 {
        render()
        while state.isRunning {
            for event in terminal.nextEvents() {
                if let action = action(for: event) { dispatch(action) }
            }
            for action in mailbox.drain() { dispatch(action) }
            if state.isRunning { render() }
        }
        return exitSignal.map { 128 + $0 } ?? 0
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

    private func perform(_ effect: Effect) {
        switch effect {
        case .loadTheme(let name):
            // Theme files are small and local: loading inline keeps the switch instant.
            let (theme, diagnostics) = startup.themeLoader.load(named: name)
            dispatch(.themeLoaded(theme, problems: diagnostics.map(\.description)))
        case .quit:
            break
        }
    }
}
