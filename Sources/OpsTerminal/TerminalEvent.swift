import OpsCore

/// What the terminal reports to the run loop.
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case click(x: Int, y: Int)
    /// The mouse wheel over a cell: negative `lines` scroll up.
    case wheel(x: Int, y: Int, lines: Int)
    /// SIGINT, SIGTERM or SIGHUP arrived, or the terminal went away.
    case terminate(signal: Int32)
    /// Another thread posted work for the run loop.
    case wake
}
