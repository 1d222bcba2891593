import Foundation
import Testing
@testable import OpsCore

/// README's key table names every default binding, and every command without one is in the
/// palette-only list under it: the docs cannot fall behind the key map.
@Suite struct ReadmeKeysTests {
    static var readme: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }

    /// The `## Keys` section: the table and the paragraphs under it.
    static var keysSection: String {
        let text = readme
        guard let start = text.range(of: "## Keys") else { return "" }
        let rest = text[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }

    @Test func everyDefaultKeyIsInTheTable() {
        let rows = Self.keysSection.split(separator: "\n").filter { $0.hasPrefix("| ") }.map { String($0.split(separator: "|").first ?? "") }
        #expect(!rows.isEmpty, "README has a key table")
        let keyColumn = rows.joined(separator: " ")
        for command in Command.allCases {
            for key in command.defaultKeys {
                let label = key.label
                let named = keyColumn.contains("`\(label)`") || keyColumn.contains(label)
                #expect(named, "README's key table lacks \(label) (\(command.rawValue))")
            }
        }
    }

    @Test func everyPaletteOnlyCommandIsNamed() {
        let section = Self.keysSection
        for command in Command.allCases where command.defaultKeys.isEmpty {
            #expect(section.contains("`\(command.rawValue)`"), "README does not name the palette-only \(command.rawValue)")
        }
    }
}
