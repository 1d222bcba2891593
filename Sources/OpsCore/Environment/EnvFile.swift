/// An env file as podman's `--env-file` reads it: `KEY=VALUE` lines, `#` comments, blank lines,
/// and bare `KEY` lines (take the value from the caller's environment). Values are taken
/// literally: quotes are part of the value, as in podman.
public struct EnvFile: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: String
        /// nil for a bare `KEY` line.
        public var value: String?
        /// 1-based line number in the file.
        public var line: Int

        public init(key: String, value: String?, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses `text`; `path` only names the file in errors.
    public static func parse(_ text: String, path: String) throws(EnvFileError) -> EnvFile {
        var entries: [Entry] = []
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let key: Substring
            let value: String?
            if let equals = trimmed.firstIndex(of: "=") {
                key = trimmed[..<equals]
                value = String(trimmed[trimmed.index(after: equals)...])
            } else {
                var bare = trimmed
                while let last = bare.last, last == " " || last == "\t" { bare = bare.dropLast() }
                key = bare
                value = nil
            }
            // Errors name the variable but never echo the line: what follows the name may be a
            // secret (`DD_API_KEY: abc` is a typo for `DD_API_KEY=abc`).
            if key.isEmpty {
                throw EnvFileError(path: path, line: number, variable: nil, reason: "missing variable name before '='")
            }
            if key.hasPrefix("export ") || key.hasPrefix("export\t") {
                let name = leadingName(key.dropFirst("export".count).drop { $0 == " " || $0 == "\t" })
                throw EnvFileError(path: path, line: number, variable: name, reason: "drop the 'export' prefix")
            }
            if !isVariableName(key) {
                let name = leadingName(key)
                let reason = value == nil
                    ? "expected NAME=value (the rest of the line is not shown)"
                    : "the text before '=' is not a variable name (letters, digits, '_'; not starting with a digit; no spaces)"
                throw EnvFileError(path: path, line: number, variable: name, reason: reason)
            }
            entries.append(Entry(key: String(key), value: value, line: number))
        }
        return EnvFile(entries: entries)
    }

    /// Keys in file order (later duplicates included once).
    public var keys: [String] {
        var seen = Set<String>()
        return entries.compactMap { seen.insert($0.key).inserted ? $0.key : nil }
    }

    /// The value podman would use for `key`: the last assignment in the file.
    public func value(for key: String) -> String? {
        entries.last { $0.key == key }?.value
    }

    /// The name a malformed line starts with, for the error; nil when it starts with none.
    private static func leadingName(_ text: Substring) -> String? {
        let name = text.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return name.isEmpty ? nil : String(name)
    }

    private static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}

/// A malformed env file line: the file, the line number and the variable it names, never the
/// line's text.
public struct EnvFileError: Error, Equatable, Sendable {
    public var path: String
    public var line: Int
    /// The variable name the line starts with, when it starts with one.
    public var variable: String?
    public var reason: String

    public init(path: String, line: Int, variable: String? = nil, reason: String) {
        self.path = path
        self.line = line
        self.variable = variable
        self.reason = reason
    }

    public var message: String {
        let name = variable.map { "variable \($0): " } ?? ""
        return "\(path):\(line): \(name)\(reason)"
    }
}
