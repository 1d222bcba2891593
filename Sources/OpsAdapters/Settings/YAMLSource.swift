import Foundation
import OpsCore
import Yams

/// Reads one YAML file into a node tree and collects diagnostics while typed values are pulled
/// out of it. Shared by the config and theme loaders so both report problems the same way.
struct YAMLSource {
    let file: String
    private var reported: [ConfigDiagnostic] = []
    /// Unknown keys past the first few, counted rather than reported one by one.
    private var unknownKeysLeftOut = 0
    private var unknownKeysReported = 0

    /// Larger files are refused unread: a config or theme is a page of keys, and parsing
    /// megabytes of YAML would keep the console from drawing for minutes.
    static let sizeLimit = 1 << 20
    /// Unknown keys reported by name; the rest are counted.
    static let unknownKeysShown = 5

    var diagnostics: [ConfigDiagnostic] {
        guard unknownKeysLeftOut > 0 else { return reported }
        let total = unknownKeysReported + unknownKeysLeftOut
        return reported + [ConfigDiagnostic(file: file, message: "\(total) unknown keys in all; the first \(unknownKeysReported) are listed above, \(unknownKeysLeftOut) more not shown")]
    }

    init(file: String) {
        self.file = file
    }

    // MARK: Reading

    /// Whether the file is absent (which callers usually treat as "use the defaults").
    static func isMissing(_ path: String) -> Bool {
        !FileManager.default.fileExists(atPath: path)
    }

    /// The file's root node; nil (with a diagnostic) when it cannot be read or parsed, nil without
    /// one when the file is empty.
    mutating func readRoot() -> Node? {
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > Self.sizeLimit {
            report(message: "the file is \(Self.megabytes(size)) MiB, over the \(Self.megabytes(Self.sizeLimit)) MiB limit: refused unread")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            report(message: "cannot read the file")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            report(message: "the file is not valid UTF-8")
            return nil
        }
        return parseRoot(text)
    }

    /// Parses YAML text; the text need not come from `file`, which only names it in messages.
    mutating func parseRoot(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            reportSyntax(error)
            return nil
        } catch {
            report(message: "YAML error: \(error)")
            return nil
        }
    }

    private mutating func reportSyntax(_ error: YamlError) {
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line))"
            }
            reported.append(ConfigDiagnostic(file: file, line: mark.line, column: mark.column, message: message))
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { Self.line(ofOffset: $0, in: yaml) }
            reported.append(ConfigDiagnostic(file: file, line: line, message: "YAML error: \(problem)"))
        case let .duplicatedKeysInMapping(duplicates, context):
            reported.append(ConfigDiagnostic(
                file: file, line: context.mark.line, column: context.mark.column,
                key: duplicates.first,
                message: "key appears more than once in the same mapping; YAML does not allow that"
            ))
        default:
            report(message: "YAML error: \(error)")
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / Double(1 << 20)
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private static func line(ofOffset offset: Int, in text: String) -> Int {
        1 + text.utf8.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    // MARK: Reporting

    mutating func report(_ node: Node? = nil, key: String? = nil, message: String) {
        let mark = node?.mark
        reported.append(ConfigDiagnostic(
            file: file, line: mark?.line, column: mark?.column, key: key, message: message
        ))
    }

    mutating func reportWrongType(_ node: Node, key: String, expected: String) {
        report(node, key: key, message: "expected \(expected), got \(Self.describe(node))")
    }

    /// Names a node's kind and value the way an operator would recognise it in the file.
    static func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar):
            if node.isNull { return "nothing (an empty value)" }
            return "\"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: Typed values

    /// The mapping's entries as (key text, key node, value node); a non-string key is reported.
    mutating func entries(of mapping: Node.Mapping, path: String?) -> [(String, Node, Node)] {
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case let .scalar(scalar) = keyNode else {
                report(keyNode, key: path, message: "keys must be plain words, got \(Self.describe(keyNode))")
                continue
            }
            result.append((scalar.string, keyNode, value))
        }
        return result
    }

    /// A string value; an empty YAML value (`key:` or `~`) is nil, meaning "keep the default".
    mutating func string(_ node: Node, key: String) -> String? {
        guard case let .scalar(scalar) = node else {
            reportWrongType(node, key: key, expected: "a string")
            return nil
        }
        if node.isNull { return nil }
        return scalar.string
    }

    mutating func integer(_ node: Node, key: String) -> Int? {
        guard case let .scalar(scalar) = node, !node.isNull else {
            reportWrongType(node, key: key, expected: "an integer")
            return nil
        }
        // Quoted digits are accepted too: what the operator meant is clear.
        if let value = node.int ?? Int(scalar.string.trimmingCharacters(in: .whitespaces)) {
            return value
        }
        reportWrongType(node, key: key, expected: "an integer")
        return nil
    }

    mutating func boolean(_ node: Node, key: String) -> Bool? {
        guard node.hasTag(.bool), let value = node.bool else {
            reportWrongType(node, key: key, expected: "true or false")
            return nil
        }
        return value
    }

    /// A flat mapping of strings to scalars (numbers and booleans are kept as written).
    mutating func stringMap(_ node: Node, key: String) -> [(name: String, keyNode: Node, value: String)]? {
        if node.isNull { return [] }
        guard case let .mapping(mapping) = node else {
            reportWrongType(node, key: key, expected: "a mapping of names to values")
            return nil
        }
        var result: [(String, Node, String)] = []
        for (name, keyNode, valueNode) in entries(of: mapping, path: key) {
            let path = "\(key).\(name)"
            guard case let .scalar(scalar) = valueNode else {
                reportWrongType(valueNode, key: path, expected: "a string")
                continue
            }
            result.append((name, keyNode, valueNode.isNull ? "" : scalar.string))
        }
        return result
    }

    /// "unknown key" with the closest known key when one is near enough to be a typo.
    mutating func reportUnknownKey(_ node: Node, key: String, name: String, known: [String]) {
        guard unknownKeysReported < Self.unknownKeysShown else {
            unknownKeysLeftOut += 1
            return
        }
        unknownKeysReported += 1
        var message = "unknown key"
        if let suggestion = Self.closest(to: name, in: known) {
            message += " (did you mean \"\(suggestion)\"?)"
        } else {
            message += "; known keys: \(known.joined(separator: ", "))"
        }
        report(node, key: key, message: message)
    }

    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, word.count / 3) ? best.0 : nil
    }

    /// Edit distance counting a swap of neighbours as one edit, since that is the usual typo.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}

extension Node {
    /// An empty value: `key:`, `~` or `null`, unquoted.
    var isNull: Bool { hasTag(.null) }

    /// Whether the resolver gave this node `name` (Yams keeps `Tag.name` internal).
    func hasTag(_ name: Tag.Name) -> Bool {
        tag.description == name.rawValue
    }
}
