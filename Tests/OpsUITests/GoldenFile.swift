import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// Compares a rendered grid with a file under Tests/OpsUITests/Goldens. Run with
/// `UPDATE_GOLDENS=1` (`make goldens`) to write the files instead, then review the diff.
///
/// A golden file holds two layers of the same size, so a lost highlight fails as surely as a
/// wrong character:
///
///     <the grid's text, one line a row, trailing blanks removed>
///     -- style roles, one letter a cell: .=text m=muted ... --
///     <one letter a cell naming its StyleRole, one line a row, trailing `.` removed>
///
/// The letters (`GoldenFile.letter(for:)`): `.` text, `m` muted, `t` title, `b` border,
/// `B` border-focused, `S` selection, `k` key-hint, `h` header, `o` ok, `w` warn, `f` fail,
/// `p` pending, `i` info, `O` overlay, `n` input, `x` match. The separator line spells them out
/// in every file, so a reader needs no other page.
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
    static let separatorPrefix = "-- style roles, one letter a cell:"

    /// One letter for each role; the switch has no default so a new role needs its own letter.
    static func letter(for role: StyleRole) -> Character {
        switch role {
        case .text: "."
        case .muted: "m"
        case .title: "t"
        case .border: "b"
        case .borderFocused: "B"
        case .selection: "S"
        case .keyHint: "k"
        case .header: "h"
        case .ok: "o"
        case .warn: "w"
        case .fail: "f"
        case .pending: "p"
        case .info: "i"
        case .overlay: "O"
        case .input: "n"
        case .match: "x"
        }
    }

    static var separator: String {
        let legend = StyleRole.allCases.map { "\(letter(for: $0))=\($0.rawValue)" }.joined(separator: " ")
        return "\(separatorPrefix) \(legend) --"
    }

    /// The style layer: one letter a cell, one line a row, trailing text-role cells removed.
    static func styles(of grid: Grid) -> String {
        (0..<grid.height).map { y in
            var line = String((0..<grid.width).map { letter(for: grid[$0, y].role) })
            while line.last == letter(for: .text) { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// What the golden file for `grid` holds.
    static func contents(of grid: Grid) -> String {
        grid.text + "\n" + separator + "\n" + styles(of: grid) + "\n"
    }

    static func check(_ grid: Grid, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? contents(of: grid).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let file = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(name).txt: run `make goldens` and review the diff", sourceLocation: sourceLocation)
            return
        }
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let split = lines.firstIndex(where: { $0.hasPrefix(separatorPrefix) }) else {
            // Written before styles were compared: its text still counts, but it must be rewritten.
            compare(layer: "text", expected: lines.joined(separator: "\n"), rendered: grid.text + "\n", name: name, sourceLocation: sourceLocation)
            Issue.record("golden \(name).txt has no style layer (no \"\(separatorPrefix)\" line): run `make goldens` and review the diff",
                         sourceLocation: sourceLocation)
            return
        }
        compare(layer: "text", expected: lines[..<split].joined(separator: "\n"), rendered: grid.text, name: name, sourceLocation: sourceLocation)
        compare(layer: "style", expected: lines[(split + 1)...].joined(separator: "\n"), rendered: styles(of: grid) + "\n",
                name: name, sourceLocation: sourceLocation)
    }

    /// The first differing line of one layer, with both versions, so the log shows the cause.
    static func compare(layer: String, expected: String, rendered: String, name: String, sourceLocation: SourceLocation) {
        guard expected != rendered else { return }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(expectedLines, renderedLines).enumerated().first { $0.element.0 != $0.element.1 }
        let where_ = first.map { "row \($0.offset + 1):\n  expected: \($0.element.0)\n  rendered: \($0.element.1)" }
            ?? "row counts differ (\(expectedLines.count) vs \(renderedLines.count))"
        Issue.record("\(name).txt: \(layer) layer differs at \(where_)", sourceLocation: sourceLocation)
    }

    /// Goldens take the grid, not its text: the text alone would let a lost highlight pass.
    @available(*, unavailable, message: "pass the Grid, not its text, so the style layer is compared: GoldenFile.check(grid, named:)")
    static func check(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {}
}
