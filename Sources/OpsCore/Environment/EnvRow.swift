/// One variable as the Environment view shows it. Holds no secret value: `displayValue` is
/// already masked, and drift is a flag, not the two values.
public struct EnvRow: Equatable, Sendable, Codable {
    public var name: String
    /// The value to print: a plain value, `•••• set`, `missing` or `unset`.
    public var displayValue: String
    public var source: EnvValueSource
    public var isSecret: Bool
    public var isSet: Bool
    /// Required (now, given the other values) and not set.
    public var isMissingRequired: Bool
    /// The running container's value differs from what the next `up` would set: apply uses it.
    public var needsRestart: Bool
    public var neededBy: String
    public var summary: String
    /// The fallback the image or script uses when unset; never a secret.
    public var defaultValue: String?
    /// False for variables found in a source but not in the catalogue.
    public var isCatalogued: Bool

    /// The words shown after the value.
    public var note: String {
        var parts: [String] = []
        if isMissingRequired { parts.append("required") }
        if needsRestart { parts.append("differs from the running container: apply (a, or :apply) recreates it") }
        return parts.joined(separator: ", ")
    }
}
