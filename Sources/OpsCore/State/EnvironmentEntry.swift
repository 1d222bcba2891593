/// One row of the Environment panel: a name, what it is set to, where that value comes from,
/// what needs it, and whether it blocks something or waits for a restart.
public struct EnvironmentEntry: Equatable, Sendable {
    public enum Source: String, Sendable {
        case containerfile = "Containerfile"
        case config = "config"
        case imageDefault = "image default"
        case envFile = "env file"
        case unset = "unset"
        /// A documented default: the console's own setting left as is, or the value the image
        /// or the scripts fall back to when the variable is unset.
        case consoleDefault = "default"

        /// For narrow panels.
        public var shortName: String {
            switch self {
            case .containerfile: return "file"
            case .config: return "config"
            case .imageDefault: return "image"
            case .envFile: return "envfile"
            case .unset: return "unset"
            case .consoleDefault: return "default"
            }
        }
    }

    /// Variables go into the container; settings are the console's own.
    public enum Kind: Sendable {
        case variable
        case setting
    }

    public var name: String
    /// Never a secret's value: for secrets it is only "set" or "missing", and `isSecret` is true.
    public var value: String
    public var isSecret: Bool
    public var source: Source
    /// Extra words shown on the details page, such as what applies a changed value.
    public var note: String
    public var kind: Kind
    /// What stops working without it: "backups", "Graphiti memory", ...
    public var neededBy: String = ""
    /// Required (now, given the other values) and not set.
    public var isMissingRequired = false
    /// The running container has another value than the next `up` would set.
    public var needsRestart = false

    public init(name: String, value: String, source: Source, note: String = "", kind: Kind = .variable, isSecret: Bool = false) {
        self.name = name
        self.isSecret = isSecret
        self.value = isSecret ? (value.isEmpty ? "missing" : "set") : value
        self.source = source
        self.note = note
        self.kind = kind
    }

    /// A row of the environment model; image defaults read from the Containerfile say so.
    public init(row: EnvRow, origin: EnvironmentOrigin) {
        name = row.name
        isSecret = row.isSecret
        if row.isSecret {
            value = row.isSet ? "set" : "missing"
        } else if !row.isSet, !row.isMissingRequired, let fallback = row.defaultValue {
            // Unset, but documented with a default: show what applies, not "unset".
            value = fallback
        } else {
            value = row.displayValue
        }
        switch row.source {
        case .unset where !row.isSecret && !row.isSet && !row.isMissingRequired && row.defaultValue != nil:
            source = .consoleDefault
        case .unset: source = .unset
        case .imageDefault: source = origin == .containerfile ? .containerfile : .imageDefault
        case .envFile: source = .envFile
        case .config: source = .config
        }
        kind = .variable
        neededBy = row.neededBy
        isMissingRequired = row.isMissingRequired
        needsRestart = row.needsRestart
        var parts: [String] = []
        if !row.note.isEmpty { parts.append(row.note) }
        if !row.neededBy.isEmpty { parts.append("needed by \(row.neededBy)") }
        if !row.summary.isEmpty { parts.append(row.summary) }
        if let fallback = row.defaultValue, !row.isSet { parts.append("unset: falls back to \(fallback)") }
        note = parts.joined(separator: "; ")
    }

    /// What `/` matches against.
    public var searchText: String { "\(name) \(value) \(source.rawValue) \(note)" }
}
