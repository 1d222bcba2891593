/// Where the value the next `up` would give a variable comes from, lowest precedence first.
public enum EnvValueSource: String, Sendable, Codable, CaseIterable {
    case unset = "unset"
    case imageDefault = "image default"
    case envFile = "env file"
    case config = "config"
}
