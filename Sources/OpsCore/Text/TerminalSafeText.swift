/// Text from containers and files made safe for a terminal: every C0 control (except tab and
/// newline), DEL and every C1 control becomes one visible placeholder, so no escape sequence
/// (title, clipboard, screen clearing) reaches the terminal and each control takes one column.
/// The CLI and the console's grid share it.
public enum TerminalSafeText {
    /// True for the scalars that must not reach a terminal as they are.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return false
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        default: return false
        }
    }

    /// The one-column stand-in for a control: its Unicode control picture (`␛` for ESC), `�` for
    /// a C1 control, or `?` when only ASCII can be shown.
    public static func placeholder(for scalar: Unicode.Scalar, asciiOnly: Bool) -> Character {
        if asciiOnly { return "?" }
        switch scalar.value {
        case 0x00...0x1F: return Character(Unicode.Scalar(0x2400 + scalar.value)!)
        case 0x7F: return "\u{2421}"
        default: return "\u{FFFD}"
        }
    }

    /// `text` with every control replaced; a CR ending a line is dropped, as a terminal would
    /// show nothing for it.
    public static func sanitized(_ text: String, asciiOnly: Bool) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { continue }
            if isControl(scalar) {
                result.append(contentsOf: placeholder(for: scalar, asciiOnly: asciiOnly).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}
