import Foundation
import OpsCore
import Testing

/// A fresh folder under the system temp dir, removed when the test ends.
final class ScratchFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("opencode-ops-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `relativePath` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String {
        let full = (path as NSString).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func join(_ relativePath: String) -> String {
        (path as NSString).appendingPathComponent(relativePath)
    }
}

/// The repository root, found from this file's location.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

let bundledThemesFolder = (repositoryRoot as NSString).appendingPathComponent("themes")

/// Asserts there is exactly one diagnostic and that it names file, line and key, in the value
/// and in the printed message.
@discardableResult
func expectSingleDiagnostic(
    _ diagnostics: [ConfigDiagnostic], file: String, line: Int?, key: String?, containing fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigDiagnostic? {
    #expect(diagnostics.count == 1, "diagnostics: \(diagnostics.map(\.description))", sourceLocation: sourceLocation)
    guard let diagnostic = diagnostics.first else { return nil }
    #expect(diagnostic.file == file, sourceLocation: sourceLocation)
    #expect(diagnostic.line == line, sourceLocation: sourceLocation)
    #expect(diagnostic.key == key, sourceLocation: sourceLocation)
    let text = diagnostic.description
    var prefix = file
    if let line { prefix += ":\(line)" }
    prefix += ": "
    if let key { prefix += "key \"\(key)\": " }
    #expect(text.hasPrefix(prefix), "\(text)", sourceLocation: sourceLocation)
    #expect(text.contains(fragment), "\(text)", sourceLocation: sourceLocation)
    return diagnostic
}
