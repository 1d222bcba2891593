import OpsCore

/// How a message's level looks: its glyph and its style role, the same in the footer and the
/// messages overlay.
enum MessageStyle {
    static func role(_ level: MessageLevel) -> StyleRole {
        switch level {
        case .info: return .info
        case .success: return .ok
        case .warning: return .warn
        case .failure: return .fail
        }
    }

    static func glyph(_ level: MessageLevel, glyphs: Glyphs) -> String {
        switch level {
        case .info: return "i"
        case .success: return glyphs.ok
        case .warning: return glyphs.warn
        case .failure: return glyphs.fail
        }
    }

    /// `21:42:26 ▲ ` before a message's text; blanks when it has no time.
    static func prefix(_ message: Message, glyphs: Glyphs) -> String {
        (message.time.map(ClockTime.text) ?? String(repeating: " ", count: 8)) + " " + glyph(message.level, glyphs: glyphs) + " "
    }

    /// Draws the prefix, time muted and glyph in the level's role; returns the columns used.
    @discardableResult
    static func drawPrefix(into grid: inout Grid, _ message: Message, x: Int, y: Int, glyphs: Glyphs) -> Int {
        var column = x
        column += grid.put(message.time.map(ClockTime.text) ?? String(repeating: " ", count: 8), x: column, y: y, role: .muted)
        column += grid.put(" ", x: column, y: y, role: .muted)
        column += grid.put(glyph(message.level, glyphs: glyphs), x: column, y: y, role: role(message.level))
        column += grid.put(" ", x: column, y: y, role: .muted)
        return column - x
    }
}
