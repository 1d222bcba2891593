/// One variable the image or its scripts read: what it is for and how to show it.
public struct EnvVariableSpec: Equatable, Sendable {
    public var name: String
    /// One line on what the variable does.
    public var summary: String
    /// What stops working without it: "backups", "Graphiti memory", ...
    public var neededBy: String
    /// Secret values are never shown, only whether they are set.
    public var isSecret: Bool
    public var requirement: EnvRequirement
    /// The value the image or script falls back to, for the reader; not a source of values.
    public var defaultValue: String?
    /// A non-secret value that may carry credentials inline (an rclone remote string): shown
    /// with them masked.
    public var hasInlineCredentials: Bool

    public init(
        _ name: String, _ summary: String, neededBy: String, secret: Bool = false,
        requirement: EnvRequirement = .optional, defaultValue: String? = nil, inlineCredentials: Bool = false
    ) {
        self.name = name
        self.summary = summary
        self.neededBy = neededBy
        self.isSecret = secret
        self.requirement = requirement
        self.defaultValue = defaultValue
        self.hasInlineCredentials = inlineCredentials
    }
}

/// When a variable must have a value.
public enum EnvRequirement: Equatable, Sendable {
    case required
    case optional
    /// Required once any of `triggers` is set (a feature is switched on), unless one of
    /// `unless` is set (the feature is served another way).
    case requiredWhenAnySet(_ triggers: [String], unless: [String] = [])

    /// Whether the variable must be set, given the values the next `up` would use.
    public func isRequired(in values: [String: String]) -> Bool {
        switch self {
        case .required: return true
        case .optional: return false
        case .requiredWhenAnySet(let triggers, let unless):
            func isSet(_ name: String) -> Bool { !(values[name] ?? "").isEmpty }
            return triggers.contains(where: isSet) && !unless.contains(where: isSet)
        }
    }
}

/// Variables that serve one feature, under a title.
public struct EnvVariableGroup: Equatable, Sendable {
    public var title: String
    public var variables: [EnvVariableSpec]

    public init(_ title: String, _ variables: [EnvVariableSpec]) {
        self.title = title
        self.variables = variables
    }
}
