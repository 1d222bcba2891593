/// Reads the `ENV` defaults out of a Containerfile's text, with the line each one is on.
public enum ContainerfileEnv {
    public struct Variable: Equatable, Sendable {
        public var name: String
        public var value: String
        public var line: Int
    }

    /// Handles `ENV A=1 B="two words"`, the legacy `ENV A value`, comments and `\` continuations.
    /// Later definitions of a name replace earlier ones, as in the built image.
    public static func parse(_ text: String) -> [Variable] {
        var variables: [Variable] = []
        for instruction in instructions(in: text) {
            let words = instruction.text.split(separator: " ", maxSplits: 1)
            guard words.count == 2, words[0].uppercased() == "ENV" else { continue }
            let arguments = String(words[1])
            let found = pairs(in: arguments)
            for (name, value) in found {
                variables.removeAll { $0.name == name }
                variables.append(Variable(name: name, value: value, line: instruction.line))
            }
        }
        return variables
    }

    /// Logical instructions: continuation lines joined, comments and blank lines dropped.
    static func instructions(in text: String) -> [(line: Int, text: String)] {
        var result: [(Int, String)] = []
        var pending = ""
        var startLine = 0
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters()
            if line.hasPrefix("#") || (line.isEmpty && pending.isEmpty) { continue }
            if pending.isEmpty { startLine = index + 1 }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                pending += line
                result.append((startLine, pending))
                pending = ""
            }
        }
        if !pending.isEmpty { result.append((startLine, pending)) }
        return result
    }

    /// `A=1 B="x y"` pairs; without `=` in the first word, the legacy form `NAME rest of line`.
    static func pairs(in arguments: String) -> [(String, String)] {
        let words = shellWords(arguments)
        guard let first = words.first, first.contains("=") else {
            let legacy = arguments.split(separator: " ", maxSplits: 1)
            guard let name = legacy.first else { return [] }
            let value = legacy.count > 1 ? unquote(legacy[1].trimmingCharacters()) : ""
            return [(String(name), value)]
        }
        return words.compactMap { word in
            guard let equals = word.firstIndex(of: "=") else { return nil }
            return (String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
    }

    /// Splits on unquoted spaces, removing the quotes and backslash escapes.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        var inWord = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static func unquote(_ text: String) -> String {
        shellWords(text).joined(separator: " ")
    }
}
