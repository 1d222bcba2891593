import Foundation

/// The other end of a `ContainerChannel`: a POSIX sh loop started once with `podman exec -i`.
/// It reads one request a line, `NONCE COMMAND`, where COMMAND is shell words this side quoted,
/// runs it with stdin from /dev/null and answers in three marked parts:
///
///     @ops NONCE
///     <stdout>\n@ops NONCE STATUS
///     <stderr>\n@ops NONCE .
///
/// The markers carry the request's random nonce, so no output can end a part early, and an
/// answer cut short is never taken for a whole one. stdout goes straight through and stderr is
/// kept in a file and printed only when there is some: one process per command (two with the
/// `timeout` guard), not four.
enum ChannelScript {
    /// Caps how long one command may run inside the container (when it has `timeout`), so one
    /// that hangs after the caller gave up does not outlive the closed channel for long.
    static func source(commandLimit: Int) -> String {
        """
        d=$(mktemp -d 2>/dev/null) || { echo "no writable temporary directory in the container" >&2; exit 97; }
        trap 'rm -rf "$d"' EXIT
        trap 'exit 0' HUP INT TERM
        nl='
        '
        w=
        if command -v timeout >/dev/null 2>&1; then w="timeout -s KILL \(max(1, commandLimit))"; fi
        while IFS= read -r r; do
        n=${r%% *}
        printf '@ops %s\\n' "$n"
        eval "${r#* }" </dev/null 2>"$d/e"
        printf '\\n@ops %s %s\\n' "$n" "$?"
        if [ -s "$d/e" ]; then cat "$d/e"; fi
        printf '\\n@ops %s .\\n' "$n"
        done
        """
    }

    /// The request line for `arguments` with `environment` set for that command only. Every
    /// word is single-quoted; a newline inside one becomes `$nl`, so a request is one line.
    /// `$w` (the `timeout` prefix, or nothing) stays unquoted to split into its words.
    static func request(nonce: String, arguments: [String], environment: [String: String]) throws(ContainerChannelError) -> String {
        var words: [String] = []
        for name in environment.keys.sorted() {
            guard isVariableName(name) else { throw .badRequest("not a variable name: \(name)") }
            words.append("\(name)=\(quote(environment[name]!))")
        }
        words.append("$w")
        words += arguments.map(quote)
        return "\(nonce) \(words.joined(separator: " "))\n"
    }

    static func quote(_ word: String) -> String {
        let escaped = word.replacingOccurrences(of: "'", with: "'\\''").replacingOccurrences(of: "\n", with: "'\"$nl\"'")
        return "'\(escaped)'"
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }
}

/// Reads the loop's answers out of its stdout as it arrives in chunks.
struct ChannelFrameReader {
    enum Frame: Equatable {
        case answer(nonce: String, result: ProcessResult)
        /// Output that is no answer: the other end is not the loop, or it is broken.
        case garbage(String)
    }

    private enum Part {
        case header
        case stdout(nonce: String)
        case stderr(nonce: String, status: Int32, stdout: Data)
    }

    private var buffer = Data()
    private var part = Part.header
    /// A header or status line is short; more bytes without a newline means it is not one.
    static let lineLimit = 200

    mutating func feed(_ chunk: Data) -> [Frame] {
        buffer.append(chunk)
        var frames: [Frame] = []
        while let frame = next() { frames.append(frame) }
        return frames
    }

    private mutating func next() -> Frame? {
        while true {
            switch part {
            case .header:
                guard let newline = buffer.firstIndex(of: 10) else {
                    return buffer.count > Self.lineLimit ? garbage() : nil
                }
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                let fields = line.split(separator: " ", omittingEmptySubsequences: false)
                guard fields.count == 2, fields[0] == "@ops", !fields[1].isEmpty else { return garbage() }
                buffer = Data(buffer[buffer.index(after: newline)...])
                part = .stdout(nonce: String(fields[1]))
            case .stdout(let nonce):
                let marker = Data("\n@ops \(nonce) ".utf8)
                guard let found = buffer.range(of: marker) else { return nil }
                guard let newline = buffer[found.upperBound...].firstIndex(of: 10) else {
                    return buffer.distance(from: found.upperBound, to: buffer.endIndex) > Self.lineLimit ? garbage() : nil
                }
                guard let status = Int32(String(decoding: buffer[found.upperBound..<newline], as: UTF8.self)) else { return garbage() }
                let stdout = Data(buffer[buffer.startIndex..<found.lowerBound])
                buffer = Data(buffer[buffer.index(after: newline)...])
                part = .stderr(nonce: nonce, status: status, stdout: stdout)
            case .stderr(let nonce, let status, let stdout):
                let marker = Data("\n@ops \(nonce) .\n".utf8)
                guard let found = buffer.range(of: marker) else { return nil }
                let stderr = Data(buffer[buffer.startIndex..<found.lowerBound])
                buffer = Data(buffer[found.upperBound...])
                part = .header
                return .answer(nonce: nonce, result: ProcessResult(exitCode: status, stdout: stdout, stderr: stderr))
            }
        }
    }

    private mutating func garbage() -> Frame {
        let text = String(decoding: buffer.prefix(Self.lineLimit), as: UTF8.self)
        buffer = Data()
        part = .header
        return .garbage(text)
    }
}
