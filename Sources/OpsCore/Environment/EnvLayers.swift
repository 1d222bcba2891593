/// The inputs of the Environment view, each as name → value: the image's ENV (`podman image
/// inspect`), the env file, the config's `environment:` overrides, and the running OpenCode
/// container's env (`podman inspect`; nil when no container runs), and the names the config
/// declares secret (`secret_names:`).
public struct EnvLayers: Equatable, Sendable {
    public var imageDefaults: [String: String]
    public var envFile: [String: String]
    public var config: [String: String]
    public var running: [String: String]?
    public var declaredSecrets: [String]

    public init(
        imageDefaults: [String: String] = [:], envFile: [String: String] = [:],
        config: [String: String] = [:], running: [String: String]? = nil, declaredSecrets: [String] = []
    ) {
        self.imageDefaults = imageDefaults
        self.envFile = envFile
        self.config = config
        self.running = running
        self.declaredSecrets = declaredSecrets
    }

    /// Which of these variables are secret: declared ones and the secrets file's unknown names.
    public var secretNames: SecretNames {
        SecretNames(configured: declaredSecrets, secretsFile: envFile.keys)
    }

    /// Turns `NAME=value` lines (inspect's `Config.Env`) into a dictionary; later names win.
    public static func dictionary(fromAssignments assignments: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else { continue }
            result[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return result
    }

    /// The values of an env file as podman applies them: bare `NAME` lines take the value from
    /// `callerEnvironment` and are dropped when it has none.
    public static func dictionary(from file: EnvFile, callerEnvironment: [String: String] = [:]) -> [String: String] {
        var result: [String: String] = [:]
        for entry in file.entries {
            if let value = entry.value ?? callerEnvironment[entry.key] {
                result[entry.key] = value
            } else {
                result.removeValue(forKey: entry.key)
            }
        }
        return result
    }

    /// The value and source the next `up` would use: config over env file over image default.
    public func effective(_ name: String) -> (value: String?, source: EnvValueSource) {
        if let value = config[name] { return (value, .config) }
        if let value = envFile[name] { return (value, .envFile) }
        if let value = imageDefaults[name] { return (value, .imageDefault) }
        return (nil, .unset)
    }

    /// The whole environment the next `up` would set. Holds secrets: for probes, never for display.
    public var effectiveEnvironment: [String: String] {
        imageDefaults.merging(envFile) { _, new in new }.merging(config) { _, new in new }
    }
}
