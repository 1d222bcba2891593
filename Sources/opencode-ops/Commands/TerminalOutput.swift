import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the CLI's lines. Container logs, env values and file contents pass through here, so
/// when a stream is a terminal their control characters are replaced (no title, clipboard or
/// screen-clearing sequence gets through); a pipe or file gets the bytes unchanged.
enum TerminalOutput {
    static let standardOutputIsTerminal = isatty(STDOUT_FILENO) == 1
    static let standardErrorIsTerminal = isatty(STDERR_FILENO) == 1

    /// True when the locale promises UTF-8, so control pictures can be shown.
    static let utf8: Bool = {
        let environment = ProcessInfo.processInfo.environment
        let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }()

    static func line(_ text: String, terminal: Bool) -> Data {
        let safe = terminal ? TerminalSafeText.sanitized(text, asciiOnly: !utf8) : text
        return Data((safe + "\n").utf8)
    }
}
