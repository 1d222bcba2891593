/// A problem found in a config or theme file, located precisely enough for the operator to fix it
/// without guessing: `config.yaml:12: key "port": expected an integer, got "abc"`.
public struct ConfigDiagnostic: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Path of the file the problem is in, as the loader was given it.
    public var file: String
    /// 1-based line; nil when the problem has no place in the file (unreadable, not found).
    public var line: Int?
    /// 1-based column, kept for tools; the one-line description leaves it out.
    public var column: Int?
    /// Dotted key path such as `podman.binary` or `styles.ok.fg`; nil for whole-file problems.
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "key \"\(key)\": " }
        return text + message
    }
}
