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
            if key.isEmpty {
                throw EnvFileError(path: path, line: number, reason: "missing variable name before '='")
            }
            if key.contains(where: { $0 == " " || $0 == "\t" }) {
                let hint = key.hasPrefix("export ") ? " (drop the 'export' prefix)" : ""
                throw EnvFileError(path: path, line: number, reason: "'\(key)' is not a variable name: no spaces allowed\(hint)")
            }
            if !isVariableName(key) {
                throw EnvFileError(path: path, line: number, reason: "'\(key)' is not a variable name (letters, digits, '_'; not starting with a digit)")
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

    private static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}

/// A malformed env file line.
public struct EnvFileError: Error, Equatable, Sendable {
    public var path: String
    public var line: Int
    public var reason: String

    public init(path: String, line: Int, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var message: String { "\(path):\(line): \(reason)" }
}
