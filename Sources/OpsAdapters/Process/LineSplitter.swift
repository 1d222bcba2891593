import Foundation

/// Splits a byte stream into lines, tolerating `\r\n` and chunk boundaries inside a line. Each
/// chunk is scanned once (memchr), so a fast writer costs time in proportion to its bytes.
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ chunk: Data) -> [String] {
        chunk.withUnsafeBytes { feed($0) }
    }

    mutating func feed(_ bytes: ArraySlice<UInt8>) -> [String] {
        bytes.withUnsafeBytes { feed($0) }
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [String] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        var lines: [String] = []
        var start = 0
        while start < bytes.count, let hit = memchr(base + start, 0x0A, bytes.count - start) {
            let end = base.distance(to: UnsafeRawPointer(hit))
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if pending.isEmpty {
                lines.append(Self.text(piece))
            } else {
                pending.append(contentsOf: piece)
                lines.append(pending.withUnsafeBytes(Self.text))
                pending.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
        if start < bytes.count { pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...])) }
        return lines
    }

    mutating func flush() -> String? {
        defer { pending = [] }
        return pending.isEmpty ? nil : pending.withUnsafeBytes(Self.text)
    }

    private static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        var line = String(decoding: bytes, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
