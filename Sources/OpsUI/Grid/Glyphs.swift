import OpsCore

/// The characters views draw with, in UTF-8 or plain ASCII.
public struct Glyphs: Sendable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// Focused panels get a different line, so focus shows without colour too.
    public var focusedHorizontal: Character
    public var focusedVertical: Character
    public var focusedTopLeft: Character
    public var focusedTopRight: Character
    public var focusedBottomLeft: Character
    public var focusedBottomRight: Character
    public var separator: String
    public var ellipsis: String
    public var mask: String
    public var selectionMarker: String
    public var ok: String
    public var warn: String
    public var fail: String
    public var pending: String
    public var unknown: String
    public var times: String
    /// True when only ASCII reaches the screen; text from outside is then made safe too.
    public var asciiOnly: Bool

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        focusedHorizontal: "━", focusedVertical: "┃", focusedTopLeft: "┏", focusedTopRight: "┓",
        focusedBottomLeft: "┗", focusedBottomRight: "┛",
        separator: "│", ellipsis: "…", mask: "••••", selectionMarker: "▶",
        ok: "●", warn: "▲", fail: "✖", pending: "◌", unknown: "?", times: "×",
        asciiOnly: false
    )

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        focusedHorizontal: "=", focusedVertical: "#", focusedTopLeft: "#", focusedTopRight: "#",
        focusedBottomLeft: "#", focusedBottomRight: "#",
        separator: "|", ellipsis: "~", mask: "****", selectionMarker: ">",
        ok: "+", warn: "!", fail: "x", pending: "~", unknown: "?", times: "x",
        asciiOnly: true
    )

    public static func forMode(_ mode: GlyphMode) -> Glyphs {
        mode == .unicode ? .unicode : .ascii
    }
}
