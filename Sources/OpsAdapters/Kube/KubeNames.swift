/// Kubernetes object names: DNS-1123 labels (lower-case letters, digits and `-`, starting and
/// ending with a letter or digit, at most 63 characters). Podman accepts pod names Kubernetes
/// refuses (`OpenCode_Dev`), so the export derives a valid base name and says when it changed.
public enum KubeNames {
    public static let maxLength = 63

    public static func isDNS1123Label(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= maxLength else { return false }
        let allowed = name.unicodeScalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
        guard allowed, let first = name.unicodeScalars.first, let last = name.unicodeScalars.last else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
    }

    /// A DNS-1123 label made from `name`: lower-cased, other characters turned into `-`, trimmed
    /// to leave room for the longest suffix the export appends; nil when nothing usable is left.
    public static func base(from name: String, reserving suffixLength: Int) -> String? {
        var result = ""
        for scalar in name.lowercased().unicodeScalars {
            let next: Character = isLowerAlphanumeric(scalar) ? Character(scalar) : "-"
            if next == "-" && (result.isEmpty || result.hasSuffix("-")) { continue }
            result.append(next)
        }
        result = String(result.prefix(max(1, maxLength - suffixLength)))
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? nil : result
    }

    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
