/// Which variables hold secrets, as declared rather than guessed from their names: the
/// catalogue marks its own, the config's `secret_names:` adds more, and any name the secrets
/// file sets that the catalogue does not know is taken as secret (it is in that file for a
/// reason). A secret's value is never shown, and goes into the Kubernetes Secret.
public struct SecretNames: Equatable, Sendable {
    /// Names marked secret by the catalogue or the config.
    public private(set) var declared: Set<String>
    /// Names the secrets file sets that the catalogue does not describe.
    public private(set) var unknownFromSecretsFile: Set<String>
    private let catalogueSecrets: [String]

    public init(
        configured: [String] = [], secretsFile: some Sequence<String> = [String](),
        catalogue: [EnvVariableSpec] = EnvCatalogue.variables
    ) {
        catalogueSecrets = catalogue.filter(\.isSecret).map(\.name)
        declared = Set(catalogueSecrets).union(configured)
        let known = Set(catalogue.map(\.name))
        unknownFromSecretsFile = Set(secretsFile).subtracting(known)
    }

    public func isSecret(_ name: String) -> Bool {
        declared.contains(name) || unknownFromSecretsFile.contains(name)
    }

    /// Every secret name: the catalogue's in its order, then the others by name.
    public var all: [String] {
        let catalogue = Set(catalogueSecrets)
        return catalogueSecrets + declared.union(unknownFromSecretsFile).subtracting(catalogue).sorted()
    }

    /// A name that reads like a credential (`DD_API_KEY`, `X_TOKEN`). Not used to decide what is
    /// masked: only to stop such a value being typed into config.yaml undeclared.
    public static func looksSecret(_ name: String) -> Bool {
        name.uppercased().split(separator: "_").contains { markers.contains(String($0)) }
    }

    static let markers: Set<String> = ["KEY", "APIKEY", "SECRET", "PASSWORD", "PASS", "TOKEN", "CREDENTIALS", "PASSPHRASE", "PAT"]
}
