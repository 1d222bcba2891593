import Foundation
import OpsCore

/// Decodes `podman stats --format json`. Podman 4.3 prints one pretty-printed JSON array per
/// interval, every figure a string (`"cpu_percent": "1.44%"`, `"mem_usage": "659.5kB / 25.28GB"`,
/// `"net_io": "472B / 1.096kB"`), sizes in decimal units.
public enum PodmanStatsDecoder {
    /// One array: every container in it.
    public static func containers(from data: Data) throws(PodmanFailure) -> [ContainerStats] {
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw .unexpectedOutput(command: "podman stats", detail: "\(error)".prefix(200).description)
        }
        return entries.map { entry in
            let memory = pair(entry.mem_usage)
            let network = pair(entry.net_io)
            let block = pair(entry.block_io)
            return ContainerStats(
                name: entry.name ?? entry.id ?? "?",
                cpuPercent: percent(entry.cpu_percent) ?? 0,
                memoryUsed: memory.0, memoryLimit: memory.1,
                networkReceived: network.0, networkSent: network.1,
                blockRead: block.0, blockWritten: block.1,
                pids: entry.pids.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            )
        }
    }

    /// `"27.23%"` → 27.23; `"--"` (a container without figures yet) → nil.
    static func percent(_ text: String?) -> Double? {
        guard let text else { return nil }
        return Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: ""))
    }

    /// `"9.839MB / 25.28GB"` → the two sizes in bytes (0 for a side that does not read).
    static func pair(_ text: String?) -> (Int64, Int64) {
        let sides = (text ?? "").split(separator: "/").map { bytes(String($0)) ?? 0 }
        return (sides.first ?? 0, sides.count > 1 ? sides[1] : 0)
    }

    /// `"1.096kB"` → 1096. Podman writes decimal units (go-units' HumanSize); binary ones
    /// (`KiB`) are read too.
    static func bytes(_ text: String) -> Int64? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let number = text.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(number) else { return nil }
        let unit = text.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "kb", "k": scale = 1e3
        case "mb", "m": scale = 1e6
        case "gb", "g": scale = 1e9
        case "tb", "t": scale = 1e12
        case "pb", "p": scale = 1e15
        case "kib": scale = 1024
        case "mib": scale = 1_048_576
        case "gib": scale = 1_073_741_824
        case "tib": scale = 1_099_511_627_776
        default: return nil
        }
        return Int64((value * scale).rounded())
    }

    // Podman's own field names.
    private struct Entry: Decodable {
        var id: String?
        var name: String?
        var cpu_percent: String?
        var mem_usage: String?
        var net_io: String?
        var block_io: String?
        var pids: String?
    }
}

/// Splits the stream into its arrays: feed it stdout as it comes, take each complete array.
/// Brackets inside strings are not counted, so a container name cannot cut an array short.
public struct PodmanStatsStream: Sendable {
    private var pending: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false

    public init() {}

    /// The arrays completed by `chunk`, each as the bytes of one JSON array.
    public mutating func feed(_ chunk: Data) -> [Data] {
        var arrays: [Data] = []
        for byte in chunk {
            if depth == 0 {
                // Anything between arrays (newlines) is not part of one.
                guard byte == UInt8(ascii: "[") else { continue }
                pending.removeAll(keepingCapacity: true)
            }
            pending.append(byte)
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { arrays.append(Data(pending)) }
            default: break
            }
        }
        return arrays
    }
}
