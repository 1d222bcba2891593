/// A key press, decoded by the terminal backend into something the core can match on.
public enum Key: Hashable, Sendable {
    case character(Character)
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab
    case enter, escape, backspace, delete
    case function(Int)

    /// Parses a key spec as written in config (`q`, `?`, `ctrl-r`, `tab`, `shift-tab`, `f5`, `pgdn`).
    public init?(spec: String) {
        let lowered = spec.lowercased()
        switch lowered {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "tab": self = .tab
        case "shift-tab", "backtab": self = .backTab
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "backspace": self = .backspace
        case "delete", "del": self = .delete
        case "space": self = .character(" ")
        default:
            if lowered.hasPrefix("ctrl-"), lowered.count == 6, let last = lowered.last {
                self = .control(last)
            } else if lowered.hasPrefix("f"), let number = Int(lowered.dropFirst()), (1...24).contains(number) {
                self = .function(number)
            } else if spec.count == 1, let only = spec.first {
                self = .character(only)
            } else {
                return nil
            }
        }
    }

    /// How the help overlay and footer name the key.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .control(let character): return "Ctrl-\(character.uppercased())"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .function(let number): return "F\(number)"
        }
    }

    /// The label in plain ASCII, for terminals without UTF-8.
    public var asciiLabel: String {
        switch self {
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        default: return label
        }
    }
}
