/// Builds the Environment view's rows from the layers. Pure: same layers, same rows.
public enum EnvironmentModel {
    public static let maskedSet = "•••• set"
    public static let missing = "missing"
    public static let unsetText = "unset"

    /// Names the runtime adds to every container; not settings of the image.
    static let runtimeNames: Set<String> = ["PATH", "HOME", "HOSTNAME", "TERM", "container", "HOST", "PWD", "SHLVL"]

    /// Catalogue variables first, in catalogue order, then any other variable set in the env
    /// file, the config or the image, by name.
    public static func rows(_ layers: EnvLayers, catalogue: [EnvVariableSpec] = EnvCatalogue.variables) -> [EnvRow] {
        let effective = layers.effectiveEnvironment
        let secrets = SecretNames(configured: layers.declaredSecrets, secretsFile: layers.envFile.keys, catalogue: catalogue)
        let known = Set(catalogue.map(\.name))
        let extraNames = Set(layers.envFile.keys).union(layers.config.keys).union(layers.imageDefaults.keys)
            .subtracting(known).subtracting(runtimeNames).sorted()
        let extras = extraNames.map { EnvVariableSpec($0, "", neededBy: "") }
        return catalogue.map { row(for: $0, layers: layers, effective: effective, secrets: secrets, catalogued: true) }
            + extras.map { row(for: $0, layers: layers, effective: effective, secrets: secrets, catalogued: false) }
    }

    /// The rows that block something: required values that are missing.
    public static func missingRequired(_ rows: [EnvRow]) -> [String] {
        rows.filter(\.isMissingRequired).map(\.name)
    }

    static func row(
        for spec: EnvVariableSpec, layers: EnvLayers, effective: [String: String], secrets: SecretNames, catalogued: Bool
    ) -> EnvRow {
        let (value, source) = layers.effective(spec.name)
        let secret = spec.isSecret || secrets.isSecret(spec.name)
        let isSet = !(value ?? "").isEmpty
        let missingRequired = !isSet && spec.requirement.isRequired(in: effective)
        let display: String
        if isSet {
            display = secret ? maskedSet : spec.hasInlineCredentials ? RemoteCredentials.masked(value!) : value!
        } else {
            display = secret || missingRequired ? missing : unsetText
        }
        var drift = false
        if let running = layers.running {
            // Compared as the container sees them: an empty value counts as unset.
            drift = (running[spec.name] ?? "") != (value ?? "")
        }
        return EnvRow(
            name: spec.name, displayValue: display, source: source, isSecret: secret, isSet: isSet,
            isMissingRequired: missingRequired, needsRestart: drift, neededBy: spec.neededBy,
            summary: spec.summary, defaultValue: secret ? nil : spec.defaultValue, isCatalogued: catalogued
        )
    }
}
