import Foundation

/// A reply in the Redis serialization protocol (RESP2, plus the RESP3 types a server may send).
public indirect enum RESPValue: Equatable, Sendable {
    case simple(String)
    case error(String)
    case integer(Int)
    /// nil is the null bulk string.
    case bulk(Data?)
    /// nil is the null array.
    case array([RESPValue]?)
    case null

    /// The value as text when it is a string of some kind.
    public var text: String? {
        switch self {
        case .simple(let text): return text
        case .bulk(let data?): return String(decoding: data, as: UTF8.self)
        default: return nil
        }
    }

    public var elements: [RESPValue]? {
        if case .array(let values?) = self { return values }
        return nil
    }
}

/// Encodes a command as a RESP array of bulk strings, the form servers accept for any argument.
enum RESPEncoder {
    static func command(_ arguments: [String]) -> Data {
        var data = Data("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            let bytes = Data(argument.utf8)
            data.append(Data("$\(bytes.count)\r\n".utf8))
            data.append(bytes)
            data.append(Data("\r\n".utf8))
        }
        return data
    }
}

/// Malformed bytes from a server.
public struct RESPProtocolError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { "protocol error: \(reason)" }
}

/// Parses RESP from a byte buffer that may not yet hold a whole reply.
enum RESPParser {
    /// Returns the first complete value and the bytes it used, or nil when more bytes are needed.
    static func parse(_ data: Data) throws -> (value: RESPValue, consumed: Int)? {
        let bytes = [UInt8](data)
        var index = 0
        guard let value = try parseValue(bytes, &index) else { return nil }
        return (value, index)
    }

    private static func parseValue(_ bytes: [UInt8], _ index: inout Int) throws -> RESPValue? {
        guard index < bytes.count else { return nil }
        let type = bytes[index]
        var cursor = index + 1
        guard let line = readLine(bytes, &cursor) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            index = cursor
            return .simple(line)
        case UInt8(ascii: "-"):
            index = cursor
            return .error(line)
        case UInt8(ascii: ":"):
            guard let number = Int(line) else { throw RESPProtocolError(reason: "bad integer \(line.prefix(20))") }
            index = cursor
            return .integer(number)
        case UInt8(ascii: "_"):
            index = cursor
            return .null
        case UInt8(ascii: "#"):
            index = cursor
            return .integer(line == "t" ? 1 : 0)
        case UInt8(ascii: "$"), UInt8(ascii: "="):
            guard let length = Int(line) else { throw RESPProtocolError(reason: "bad length \(line.prefix(20))") }
            if length < 0 { index = cursor; return .bulk(nil) }
            guard cursor + length + 2 <= bytes.count else { return nil }
            let payload = Data(bytes[cursor..<(cursor + length)])
            guard bytes[cursor + length] == 13, bytes[cursor + length + 1] == 10 else {
                throw RESPProtocolError(reason: "bulk string not terminated")
            }
            index = cursor + length + 2
            return .bulk(payload)
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"):
            guard var count = Int(line) else { throw RESPProtocolError(reason: "bad count \(line.prefix(20))") }
            if count < 0 { index = cursor; return .array(nil) }
            if type == UInt8(ascii: "%") { count *= 2 }  // RESP3 maps flatten to key, value pairs.
            var values: [RESPValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                guard let value = try parseValue(bytes, &cursor) else { return nil }
                values.append(value)
            }
            index = cursor
            return .array(values)
        default:
            throw RESPProtocolError(reason: "unexpected type byte \(type)")
        }
    }

    /// Reads up to CRLF; nil when the line is not complete yet.
    private static func readLine(_ bytes: [UInt8], _ cursor: inout Int) -> String? {
        var end = cursor
        while end + 1 < bytes.count {
            if bytes[end] == 13 && bytes[end + 1] == 10 {
                let line = String(decoding: bytes[cursor..<end], as: UTF8.self)
                cursor = end + 2
                return line
            }
            end += 1
        }
        return nil
    }
}
