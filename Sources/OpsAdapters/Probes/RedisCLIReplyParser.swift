import Foundation

/// Turns `redis-cli --no-raw` output back into RESP values. redis-cli prints bulk strings
/// quoted with C escapes, status replies bare, `(integer) N`, `(nil)`, `(error) ...`, and
/// arrays as `1) ...` lines whose nested elements are indented by the index width.
public enum RedisCLIReplyParser {
    public static func parse(_ output: String) -> RESPValue {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard !lines.isEmpty else { return .null }
        return parseBlock(lines)
    }

    /// A block is one value: its first line starts at column 0, later lines are already
    /// de-indented to the same column.
    private static func parseBlock(_ lines: [String]) -> RESPValue {
        guard let width = indexPrefixWidth(lines[0]) else {
            return lines.count == 1 ? parseScalar(lines[0]) : .simple(lines.joined(separator: "\n"))
        }
        var elements: [[String]] = []
        for line in lines {
            let head = line.prefix(width)
            if head.allSatisfy({ $0 == " " }) && !elements.isEmpty {
                elements[elements.count - 1].append(String(line.dropFirst(width)))
            } else if isIndexPrefix(head) {
                elements.append([String(line.dropFirst(width))])
            } else {
                // Not the shape redis-cli prints: keep the text rather than guess.
                return .simple(lines.joined(separator: "\n"))
            }
        }
        return .array(elements.map(parseBlock))
    }

    /// Width of a leading "N) " (padded to the widest index), or nil when the line is no element.
    private static func indexPrefixWidth(_ line: String) -> Int? {
        var width = 0
        var sawDigit = false
        for character in line {
            width += 1
            if character == " " && !sawDigit { continue }
            if character.isASCII && character.isNumber { sawDigit = true; continue }
            if character == ")" && sawDigit {
                return line.dropFirst(width).first == " " ? width + 1 : nil
            }
            return nil
        }
        return nil
    }

    private static func isIndexPrefix(_ head: Substring) -> Bool {
        indexPrefixWidth(String(head)) == head.count
    }

    private static func parseScalar(_ line: String) -> RESPValue {
        if line == "(nil)" { return .bulk(nil) }
        if line == "(empty array)" || line == "(empty list or set)" { return .array([]) }
        if line.hasPrefix("(integer) "), let number = Int(line.dropFirst(10)) { return .integer(number) }
        if line.hasPrefix("(error) ") { return .error(String(line.dropFirst(8))) }
        if line.count >= 2, line.hasPrefix("\""), line.hasSuffix("\"") {
            return .bulk(unescape(line.dropFirst().dropLast()))
        }
        return .simple(line)
    }

    /// Undoes redis-cli's quoting (sdscatrepr): \n \r \t \a \b \" \\ and \xHH.
    private static func unescape(_ text: Substring) -> Data {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\"), let escaped = iterator.next() else {
                bytes.append(byte)
                continue
            }
            switch escaped {
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "r"): bytes.append(13)
            case UInt8(ascii: "t"): bytes.append(9)
            case UInt8(ascii: "a"): bytes.append(7)
            case UInt8(ascii: "b"): bytes.append(8)
            case UInt8(ascii: "x"):
                let high = iterator.next() ?? 0
                let low = iterator.next() ?? 0
                bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) ?? 0)
            default: bytes.append(escaped)
            }
        }
        return Data(bytes)
    }
}
