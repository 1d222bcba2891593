import Foundation
import Testing

/// OpsCore reads no clock: time enters through actions (`.tick`) and the values adapters stamp,
/// so `update` gives the same result for the same input. This reads OpsCore's sources and fails
/// on any clock read that creeps back in.
@Suite struct CoreClockTests {
    static let clockReads = ["Date()", "Date.now", "timeIntervalSinceNow", "Date(timeIntervalSinceNow", "ContinuousClock.now", "SuspendingClock.now", "CFAbsoluteTimeGetCurrent"]

    static var coreSources: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Sources/OpsCore")
    }

    @Test func noSourceInOpsCoreReadsTheClock() throws {
        let files = try #require(FileManager.default.enumerator(at: Self.coreSources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        #expect(files.count > 20, "OpsCore's sources were not found at \(Self.coreSources.path)")
        var found: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (number, line) in lines.enumerated() {
                // Comments may name the rule; code may not break it.
                let code = line.components(separatedBy: "//").first ?? ""
                for read in Self.clockReads where code.contains(read) {
                    found.append("\(file.lastPathComponent):\(number + 1): \(read)")
                }
            }
        }
        #expect(found.isEmpty, "OpsCore reads the clock; pass the time in through an action or a parameter:\n\(found.joined(separator: "\n"))")
    }
}
