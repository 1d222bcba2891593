/// A colour as a theme names it: the terminal's default, one of the eight basic names (with a
/// bright variant), or an index into the 256-colour palette.
public enum ThemeColor: Equatable, Hashable, Sendable {
    case terminalDefault
    case named(BasicColor, bright: Bool)
    case indexed(UInt8)
}

public enum BasicColor: Int, CaseIterable, Sendable {
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// Text attributes; monochrome themes carry all meaning with these.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
}

/// What a piece of text means; themes map each role to a style, views only name roles.
public enum StyleRole: String, CaseIterable, Hashable, Sendable {
    case text
    case muted
    case title
    case border
    case borderFocused = "border-focused"
    case selection
    case keyHint = "key-hint"
    case header
    case ok
    case warn
    case fail
    case pending
    case info
    case overlay
    case input
    case match
}

public struct RoleStyle: Equatable, Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: TextAttributes

    public init(
        foreground: ThemeColor = .terminalDefault,
        background: ThemeColor = .terminalDefault,
        attributes: TextAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A named set of role styles. Roles a theme leaves out fall back to `Theme.fallback`.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [StyleRole: RoleStyle]

    public init(name: String, styles: [StyleRole: RoleStyle]) {
        self.name = name
        self.styles = styles
    }

    public func style(for role: StyleRole) -> RoleStyle {
        styles[role] ?? Theme.fallback.styles[role] ?? RoleStyle()
    }

    /// Built in so the console always has a usable theme, even when no theme file loads.
    public static let fallback = Theme(name: "default", styles: [
        .text: RoleStyle(),
        .muted: RoleStyle(attributes: .dim),
        .title: RoleStyle(attributes: .bold),
        .border: RoleStyle(),
        .borderFocused: RoleStyle(foreground: .named(.cyan, bright: false), attributes: .bold),
        .selection: RoleStyle(attributes: .reverse),
        .keyHint: RoleStyle(foreground: .named(.cyan, bright: false), attributes: .bold),
        .header: RoleStyle(attributes: [.bold, .reverse]),
        .ok: RoleStyle(foreground: .named(.green, bright: false)),
        .warn: RoleStyle(foreground: .named(.yellow, bright: false), attributes: .bold),
        .fail: RoleStyle(foreground: .named(.red, bright: false), attributes: .bold),
        .pending: RoleStyle(foreground: .named(.blue, bright: false)),
        .info: RoleStyle(foreground: .named(.cyan, bright: false)),
        .overlay: RoleStyle(),
        .input: RoleStyle(attributes: .underline),
        .match: RoleStyle(foreground: .named(.yellow, bright: false), attributes: .bold),
    ])
}
