import Foundation
import OpsCore

/// The build history: one JSON object per line in `build-history.jsonl` in the state directory,
/// appended after every build (succeeded, failed or cancelled).
public struct PodmanBuildHistory: Sendable {
    public static let fileName = "build-history.jsonl"
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public init(stateDirectory: String) {
        self.init(path: (stateDirectory as NSString).appendingPathComponent(Self.fileName))
    }

    public func append(_ record: PodmanBuildRecord) throws {
        var line = try Self.encoder.encode(record)
        line.append(0x0A)
        try PrivateFiles.append(line, to: path)
    }

    /// The newest `limit` records, oldest first; unreadable lines are skipped.
    public func records(limit: Int = 50) -> [PodmanBuildRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines = data.split(separator: 0x0A).suffix(limit)
        return lines.compactMap { try? Self.decoder.decode(PodmanBuildRecord.self, from: Data($0)) }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
