import OpsCore
import Yams

/// Turns one theme file into a `Theme`; the schema is documented in `themes/README.md`.
///
/// ```yaml
/// description: what the theme is for
/// styles:
///   ok: { fg: green, attrs: [bold] }
/// ```
public enum ThemeParser {
    public static let topLevelKeys = ["description", "styles"]
    public static let styleKeys = ["fg", "bg", "attrs"]
    public static let attributeNames: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse),
    ]

    /// Parses theme text. The theme is usable only when the diagnostics are empty; callers fall
    /// back to the default theme otherwise.
    public static func parse(_ text: String, name: String, file: String) -> (Theme, [ConfigDiagnostic]) {
        var source = YAMLSource(file: file)
        let root = source.parseRoot(text)
        let theme = read(root, name: name, source: &source)
        return (theme, source.diagnostics)
    }

    static func read(_ root: Node?, name: String, source: inout YAMLSource) -> Theme {
        var theme = Theme(name: name, styles: [:])
        guard let root else {
            if source.diagnostics.isEmpty { source.report(key: "styles", message: "the theme file is empty") }
            return theme
        }
        guard case let .mapping(mapping) = root else {
            source.reportWrongType(root, key: "styles", expected: "a mapping with a styles: key")
            return theme
        }
        var sawStyles = false
        for (key, keyNode, value) in source.entries(of: mapping, path: nil) {
            switch key {
            case "description":
                _ = source.string(value, key: key)
            case "styles":
                sawStyles = true
                theme.styles = readStyles(value, source: &source)
            default:
                source.reportUnknownKey(keyNode, key: key, name: key, known: topLevelKeys)
            }
        }
        if !sawStyles { source.report(root, key: "styles", message: "missing; a theme maps roles to styles under styles:") }
        return theme
    }

    private static func readStyles(_ node: Node, source: inout YAMLSource) -> [StyleRole: RoleStyle] {
        guard case let .mapping(mapping) = node else {
            source.reportWrongType(node, key: "styles", expected: "a mapping of roles to styles")
            return [:]
        }
        var styles: [StyleRole: RoleStyle] = [:]
        for (roleName, keyNode, value) in source.entries(of: mapping, path: "styles") {
            let path = "styles.\(roleName)"
            guard let role = StyleRole(rawValue: roleName) else {
                source.reportUnknownKey(keyNode, key: path, name: roleName, known: StyleRole.allCases.map(\.rawValue))
                continue
            }
            if let style = readStyle(value, path: path, source: &source) { styles[role] = style }
        }
        return styles
    }

    private static func readStyle(_ node: Node, path: String, source: inout YAMLSource) -> RoleStyle? {
        if node.isNull { return RoleStyle() }
        guard case let .mapping(mapping) = node else {
            source.reportWrongType(node, key: path, expected: "a mapping with fg, bg and attrs")
            return nil
        }
        var style = RoleStyle()
        for (key, keyNode, value) in source.entries(of: mapping, path: path) {
            let fieldPath = "\(path).\(key)"
            switch key {
            case "fg": if let color = readColor(value, path: fieldPath, source: &source) { style.foreground = color }
            case "bg": if let color = readColor(value, path: fieldPath, source: &source) { style.background = color }
            case "attrs": if let attributes = readAttributes(value, path: fieldPath, source: &source) { style.attributes = attributes }
            default: source.reportUnknownKey(keyNode, key: fieldPath, name: key, known: styleKeys)
            }
        }
        return style
    }

    private static func readColor(_ node: Node, path: String, source: inout YAMLSource) -> ThemeColor? {
        guard case let .scalar(scalar) = node, !node.isNull else {
            source.reportWrongType(node, key: path, expected: "a colour name, a 0-255 index or default")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        if let color = color(named: text) { return color }
        if let index = Int(text) {
            source.report(node, key: path, message: "colour index \(index) is out of range (0-255)")
            return nil
        }
        var message = "unknown colour \"\(text)\""
        if let suggestion = YAMLSource.closest(to: text, in: colorNames) { message += " (did you mean \"\(suggestion)\"?)" }
        message += "; use a name such as red or bright-red, an index 0-255, or default"
        source.report(node, key: path, message: message)
        return nil
    }

    /// Every colour name the schema accepts, for messages and docs.
    public static let colorNames: [String] = ["default"]
        + BasicColor.allCases.map { "\($0)" }
        + BasicColor.allCases.map { "bright-\($0)" }

    /// Parses `default`, a basic name, `bright-NAME` or an index 0-255; nil for anything else.
    public static func color(named text: String) -> ThemeColor? {
        let lower = text.lowercased()
        if lower == "default" { return .terminalDefault }
        if let index = Int(lower) {
            return (0...255).contains(index) ? .indexed(UInt8(index)) : nil
        }
        let bright = lower.hasPrefix("bright-")
        let base = bright ? String(lower.dropFirst("bright-".count)) : lower
        guard let basic = BasicColor.allCases.first(where: { "\($0)" == base }) else { return nil }
        return .named(basic, bright: bright)
    }

    private static func readAttributes(_ node: Node, path: String, source: inout YAMLSource) -> TextAttributes? {
        if node.isNull { return [] }
        // A single word is accepted as a one-item list.
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case let .sequence(sequence): items = Array(sequence)
        default:
            source.reportWrongType(node, key: path, expected: "a list of attributes such as [bold, underline]")
            return nil
        }
        var attributes: TextAttributes = []
        var valid = true
        for item in items {
            guard case let .scalar(scalar) = item else {
                source.reportWrongType(item, key: path, expected: "an attribute name")
                valid = false
                continue
            }
            let word = scalar.string.lowercased()
            if let match = attributeNames.first(where: { $0.0 == word }) {
                attributes.insert(match.1)
            } else {
                source.report(item, key: path, message: "unknown attribute \"\(scalar.string)\"; use bold, dim, underline or reverse")
                valid = false
            }
        }
        return valid ? attributes : nil
    }
}
