/// One row of the Environment panel: a name, what it is set to, and where that value comes from.
public struct EnvironmentEntry: Equatable, Sendable {
    public enum Source: String, Sendable {
        case containerfile = "Containerfile"
        case config = "config"
        case imageDefault = "image default"
        case envFile = "env file"
        case unset = "unset"
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
    /// Extra words shown after the value, such as "restart to apply".
    public var note: String
    public var kind: Kind

    public init(name: String, value: String, source: Source, note: String = "", kind: Kind = .variable) {
        self.name = name
        self.isSecret = SecretNames.isSecret(name)
        self.value = isSecret ? (value.isEmpty ? "missing" : "set") : value
        self.source = source
        self.note = note
        self.kind = kind
    }

    /// What `/` matches against.
    public var searchText: String { "\(name) \(value) \(source.rawValue) \(note)" }
}
