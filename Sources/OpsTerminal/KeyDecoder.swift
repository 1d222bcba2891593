import CNcursesw
import OpsCore

/// Turns ncurses' key codes into `Key` values, and its mouse events into terminal events.
enum KeyDecoder {
    /// Rows one notch of the wheel scrolls.
    static let wheelLines = 3

    /// `kind` as `ops_read_mouse` reports it.
    static func mouseEvent(kind: Int32, x: Int, y: Int) -> TerminalEvent? {
        switch kind {
        case Int32(OPS_MOUSE_CLICK): return .click(x: x, y: y)
        case Int32(OPS_MOUSE_WHEEL_UP): return .wheel(x: x, y: y, lines: -wheelLines)
        case Int32(OPS_MOUSE_WHEEL_DOWN): return .wheel(x: x, y: y, lines: wheelLines)
        default: return nil
        }
    }

    static func key(forCharacter code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(code + 96)!))
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func key(forFunctionCode code: Int32, f0: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case (f0 + 1)...(f0 + 24): return .function(Int(code - f0))
        default: return nil
        }
    }
}
