import Foundation

/// The other end of a `ContainerChannel`: a POSIX sh loop started once with `podman exec -i`.
/// It reads one request a line, `NONCE COMMAND`, where COMMAND is shell words this side quoted,
/// runs it with stdin from /dev/null and its output in files, and answers with a header
/// `@ops NONCE STATUS STDOUT-BYTES STDERR-BYTES` followed by exactly those bytes. A half-written
/// answer is therefore never taken for a whole one, and the nonce ties each answer to its request.
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
        eval "${r#* }" </dev/null >"$d/o" 2>"$d/e"
        s=$?
        set -- $(wc -c "$d/o" "$d/e")
        printf '@ops %s %s %s %s\\n' "$n" "$s" "$1" "$3"
        cat "$d/o" "$d/e"
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
        /// Output that is no answer header: the other end is not the loop, or it is broken.
        case garbage(String)
    }

    private var buffer = Data()
    static let headerPrefix = Data("@ops ".utf8)
    /// A header is short; more bytes without a newline means it is not one.
    static let headerLimit = 200

    mutating func feed(_ chunk: Data) -> [Frame] {
        buffer.append(chunk)
        var frames: [Frame] = []
        while let frame = next() { frames.append(frame) }
        return frames
    }

    private mutating func next() -> Frame? {
        guard let newline = buffer.firstIndex(of: 10) else {
            if buffer.count > Self.headerLimit { return garbage() }
            return nil
        }
        let header = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        let fields = header.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0] == "@ops", let status = Int32(fields[2]),
              let outCount = Int(fields[3]), let errCount = Int(fields[4]), outCount >= 0, errCount >= 0 else {
            return garbage()
        }
        let bodyStart = buffer.index(after: newline)
        guard buffer.distance(from: bodyStart, to: buffer.endIndex) >= outCount + errCount else { return nil }
        let outEnd = buffer.index(bodyStart, offsetBy: outCount)
        let errEnd = buffer.index(outEnd, offsetBy: errCount)
        let result = ProcessResult(exitCode: status, stdout: Data(buffer[bodyStart..<outEnd]), stderr: Data(buffer[outEnd..<errEnd]))
        buffer = Data(buffer[errEnd...])
        return .answer(nonce: String(fields[1]), result: result)
    }

    private mutating func garbage() -> Frame {
        let text = String(decoding: buffer.prefix(Self.headerLimit), as: UTF8.self)
        buffer = Data()
        return .garbage(text)
    }
}
