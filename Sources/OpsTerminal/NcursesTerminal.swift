import CNcursesw
import Foundation
import OpsCore
import OpsUI

/// The only code that calls ncurses. Owns set-up and restore, reads keys, and draws grids by
/// writing just the cells that changed since the last frame. Use it from one thread only.
public final class NcursesTerminal {
    public private(set) var width: Int
    public private(set) var height: Int
    public let glyphMode: GlyphMode
    public let colorDepth: ColorDepth
    /// Bytes written by other threads (and by signal handlers) wake `nextEvents()`.
    public let wakeFileDescriptor: Int32

    private let wakeReadDescriptor: Int32
    private var previousFrame: Grid?
    private var previousTheme: Theme?
    private var attributesByRole: [StyleRole: (attr_t, Int16)] = [:]
    private var isActive = false

    /// Sets up the terminal: locale, raw-ish input, colours, Esc delay, signal routing.
    public init(mouse: Bool) throws {
        setlocale(LC_ALL, "")
        glyphMode = ops_codeset_is_utf8() != 0 ? .unicode : .ascii
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.setupFailed("pipe: \(String(cString: strerror(errno)))") }
        wakeReadDescriptor = fds[0]
        wakeFileDescriptor = fds[1]
        _ = fcntl(wakeReadDescriptor, F_SETFL, O_NONBLOCK)
        _ = fcntl(wakeFileDescriptor, F_SETFL, O_NONBLOCK)
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw TerminalError.setupFailed("the console needs a terminal; use a subcommand such as `info` in scripts")
        }
        guard initscr() != nil else { throw TerminalError.setupFailed("cannot initialise the terminal (is TERM set?)") }
        isActive = true
        // cbreak, not raw: Ctrl-C still raises SIGINT, which restores the terminal and exits.
        cbreak()
        noecho()
        nonl()
        keypad(ops_stdscr(), true)
        nodelay(ops_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        colorDepth = ColorDepth(colors: Int(ops_colors()), hasColors: has_colors())
        if mouse { _ = ops_enable_mouse() }
        width = Int(getmaxx(ops_stdscr()))
        height = Int(getmaxy(ops_stdscr()))
        // Installed after initscr so ours replace ncurses' own SIGWINCH handler.
        _ = ops_install_signal_handlers(wakeFileDescriptor)
    }

    deinit {
        restore()
        close(wakeReadDescriptor)
        close(wakeFileDescriptor)
    }

    /// Puts the terminal back as it was. Safe to call more than once.
    public func restore() {
        guard isActive else { return }
        isActive = false
        ops_reset_signal_handlers()
        curs_set(1)
        endwin()
    }

    /// Leaves curses mode, runs `body` with the terminal as the shell left it (a program run by
    /// `body` owns it), then takes it back: program mode restored, the size read again (it may
    /// have changed meanwhile) and the next `draw` repainting every cell.
    public func runOutside<T>(_ body: () -> T) -> T {
        def_prog_mode()
        endwin()
        let result = body()
        reset_prog_mode()
        curs_set(0)
        _ = resized(fromSignal: true)
        clear()
        refresh()
        return result
    }

    /// Draws `grid` styled by `theme`, touching only the cells that differ from the last frame.
    public func draw(_ grid: Grid, theme: Theme) {
        if theme != previousTheme {
            configureColors(for: theme)
            previousTheme = theme
            previousFrame = nil
        }
        if previousFrame.map({ $0.width != grid.width || $0.height != grid.height }) ?? true {
            // clear, not erase: after a resize the terminal's content is unknown to ncurses,
            // so the next refresh must repaint every cell.
            clear()
            previousFrame = nil
        }
        var changed = false
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if let previousFrame, previousFrame[x, y] == cell { continue }
                put(cell, x: x, y: y)
                changed = true
            }
        }
        previousFrame = grid
        if changed { refresh() }
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let (attributes, pair) = attributesByRole[cell.role] ?? (0, 0)
        var text = cell.character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        text.append(0)
        _ = ops_put_cell(Int32(y), Int32(x), text, attributes, pair)
    }

    private func configureColors(for theme: Theme) {
        attributesByRole = [:]
        for (offset, role) in StyleRole.allCases.enumerated() {
            let style = theme.style(for: role)
            var attributes: attr_t = 0
            if style.attributes.contains(.bold) { attributes |= ops_attr_bold() }
            if style.attributes.contains(.dim) { attributes |= ops_attr_dim() }
            if style.attributes.contains(.underline) { attributes |= ops_attr_underline() }
            if style.attributes.contains(.reverse) { attributes |= ops_attr_reverse() }
            var pair: Int16 = 0
            if colorDepth != .none, offset + 1 < Int(ops_color_pairs()) {
                let foreground = colorDepth.resolve(style.foreground)
                let background = colorDepth.resolve(style.background)
                if foreground.needsBold { attributes |= ops_attr_bold() }
                pair = Int16(offset + 1)
                init_pair(pair, foreground.index, background.index)
            }
            attributesByRole[role] = (attributes, pair)
        }
    }

    /// Blocks until something happens (or `timeout` seconds pass), then returns everything
    /// that is ready: signals and the terminal's end first, then keys, then wakes.
    public func nextEvents(timeout: TimeInterval? = nil) -> [TerminalEvent] {
        let milliseconds = timeout.map { Int32(max(0, ($0 * 1000).rounded(.up))) } ?? -1
        let ready = ops_wait(STDIN_FILENO, wakeReadDescriptor, milliseconds)
        var events: [TerminalEvent] = []
        if ready & 4 != 0 {
            events.append(.terminate(signal: SIGHUP))
        }
        var wakes: [TerminalEvent] = []
        if ready & 2 != 0 {
            wakes = drainWakePipe()
            events += wakes.filter { if case .terminate = $0 { true } else { false } }
        }
        if ready & 1 != 0 || ready == 0 {
            events += readKeys()
        }
        return events + wakes.filter { if case .terminate = $0 { false } else { true } }
    }

    private func drainWakePipe() -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(wakeReadDescriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            for byte in buffer.prefix(count) {
                switch Int32(byte) {
                case 0: if !events.contains(.wake) { events.append(.wake) }
                case SIGWINCH: events.append(resized(fromSignal: true))
                case let signal: events.append(.terminate(signal: signal))
                }
            }
        }
        return events
    }

    /// After SIGWINCH the new size is read from the terminal; resize_term, unlike resizeterm,
    /// queues no KEY_RESIZE, which would come back here as another resize.
    private func resized(fromSignal: Bool) -> TerminalEvent {
        var rows: Int32 = 0
        var columns: Int32 = 0
        if fromSignal, ops_terminal_size(&rows, &columns) == 0, rows > 0, columns > 0 {
            resize_term(rows, columns)
        }
        width = Int(getmaxx(ops_stdscr()))
        height = Int(getmaxy(ops_stdscr()))
        previousFrame = nil
        return .resize(width: width, height: height)
    }

    private func readKeys() -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        var character: wint_t = 0
        while true {
            let result = get_wch(&character)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let event = functionKeyEvent(Int32(character)) { events.append(event) }
            } else if let key = KeyDecoder.key(forCharacter: UInt32(character)) {
                events.append(.key(key))
            }
        }
        return events
    }

    private func functionKeyEvent(_ code: Int32) -> TerminalEvent? {
        switch code {
        case KEY_RESIZE:
            return resized(fromSignal: false)
        case KEY_MOUSE:
            var y: Int32 = 0
            var x: Int32 = 0
            let kind = ops_read_mouse(&y, &x)
            return KeyDecoder.mouseEvent(kind: kind, x: Int(x), y: Int(y))
        default:
            return KeyDecoder.key(forFunctionCode: code, f0: ops_key_f0()).map(TerminalEvent.key)
        }
    }
}

public enum TerminalError: Error, CustomStringConvertible {
    case setupFailed(String)

    public var description: String {
        switch self {
        case .setupFailed(let reason): return reason
        }
    }
}
