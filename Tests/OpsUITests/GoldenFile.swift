import Foundation
import Testing

/// Compares rendered text with a file under Tests/OpsUITests/Goldens. Run with
/// `UPDATE_GOLDENS=1` to write the files instead (then review the diff before committing).
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static func check(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        let rendered = text + "\n"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? rendered.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(name).txt: run `make goldens`", sourceLocation: sourceLocation)
            return
        }
        if expected != rendered {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expectedLines, renderedLines).enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = first.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  rendered: \($0.element.1)" }
                ?? "line counts differ (\(expectedLines.count) vs \(renderedLines.count))"
            Issue.record("\(name).txt differs at \(where_)", sourceLocation: sourceLocation)
        }
    }
}
