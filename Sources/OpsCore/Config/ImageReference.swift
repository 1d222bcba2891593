/// Checks an image reference from the config (`name[:tag][@digest]`, the name optionally
/// behind a registry host) before it reaches podman's command line, where `--help` or
/// `--privileged` would be read as an option.
public enum ImageReference {
    /// Why `text` is not an image reference; nil when it is one.
    public static func problem(_ text: String) -> String? {
        let shape = "expected name[:tag][@digest], such as docker.io/valkey/valkey:8"
        guard !text.isEmpty else { return "is empty; \(shape)" }
        guard !text.hasPrefix("-") else { return "\"\(text)\" starts with '-' and would be read as an option; \(shape)" }
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value != 0x7F }) else {
            return "holds spaces or characters outside ASCII; \(shape)"
        }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            guard isDigest(rest[rest.index(after: at)...]) else { return "\"\(text)\" has a malformed digest (algorithm:hex); \(shape)" }
            rest = rest[..<at]
        }
        let lastSlash = rest.lastIndex(of: "/")
        let tail = lastSlash.map { rest[rest.index(after: $0)...] } ?? rest
        if let colon = tail.lastIndex(of: ":") {
            guard isTag(tail[tail.index(after: colon)...]) else { return "\"\(text)\" has a malformed tag; \(shape)" }
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first, first.contains(".") || first.contains(":") || first == "localhost" {
            guard isHost(first) else { return "\"\(text)\" has a malformed registry host; \(shape)" }
            components.removeFirst()
        }
        guard !components.isEmpty, components.allSatisfy(isPathComponent) else {
            return "\"\(text)\" is not an image name (lower-case letters, digits and '.', '_', '-' between '/'); \(shape)"
        }
        return nil
    }

    static func isPathComponent(_ part: Substring) -> Bool {
        guard let first = part.first, let last = part.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        return part.allSatisfy { isLowerAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func isTag(_ tag: Substring) -> Bool {
        guard let first = tag.first, first != ".", first != "-", tag.count <= 128 else { return false }
        return tag.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
    }

    static func isDigest(_ digest: Substring) -> Bool {
        let parts = digest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let algorithm = parts[0].first, algorithm.isLetter, parts[1].count >= 32 else { return false }
        return parts[0].allSatisfy { $0.isLetter || $0.isNumber || "+.-_".contains($0) } && parts[1].allSatisfy(\.isHexDigit)
    }

    static func isHost(_ host: Substring) -> Bool {
        let pieces = host.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), let name = pieces.first, !name.isEmpty, !name.hasPrefix("-") else { return false }
        if pieces.count == 2, pieces[1].isEmpty || !pieces[1].allSatisfy(\.isNumber) { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
    }

    private static func isLowerAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isLowercase || character.isNumber)
    }
}
