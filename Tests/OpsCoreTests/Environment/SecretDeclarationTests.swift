import Foundation
import Testing
@testable import OpsCore

/// Which values are secret is declared: the catalogue, the config's `secret_names`, and any
/// unknown name from the secrets file. A name that does not look secret (GITHUB_PAT) is masked
/// once declared, wherever its value comes from.
@Suite struct SecretDeclarationTests {
    static let pat = "ghp_0123456789abcdefABCDEF"

    @Test func configDeclaredNamesAreMaskedInRowsAndJSON() throws {
        let layers = EnvLayers(config: ["GITHUB_PAT": Self.pat, "LOG_LEVEL": "debug"], declaredSecrets: ["GITHUB_PAT"])
        let rows = EnvironmentModel.rows(layers)
        let pat = try #require(rows.first { $0.name == "GITHUB_PAT" })
        #expect(pat.isSecret && pat.displayValue == EnvironmentModel.maskedSet)
        #expect(rows.first { $0.name == "LOG_LEVEL" }?.displayValue == "debug")
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        #expect(!json.contains(Self.pat))
        let entries = EnvironmentRows.make(rows: rows, origin: .containerfile, settings: Settings())
        #expect(!entries.contains { $0.value.contains(Self.pat) || $0.note.contains(Self.pat) })
    }

    @Test func unknownSecretsFileNamesAreSecretButCataloguedPlainOnesAreNot() {
        let secrets = SecretNames(secretsFile: ["GITHUB_PAT", "B2_BUCKET", "DD_API_KEY"])
        #expect(secrets.isSecret("GITHUB_PAT"))
        #expect(!secrets.isSecret("B2_BUCKET"))
        #expect(secrets.isSecret("DD_API_KEY"))
        #expect(!secrets.isSecret("LOG_LEVEL"))
        #expect(SecretNames(configured: ["LOG_LEVEL"]).isSecret("LOG_LEVEL"))
        // The image's own ENV is not the secrets file: an undeclared name there stays plain.
        let rows = EnvironmentModel.rows(EnvLayers(imageDefaults: ["SOME_PAT": "x"]))
        #expect(rows.first { $0.name == "SOME_PAT" }?.isSecret == false)
    }

    @Test func allListsCatalogueSecretsFirstThenOthersByName() {
        let all = SecretNames(configured: ["ZED_PAT", "GITHUB_PAT"], secretsFile: ["B2_BUCKET", "CUSTOM"]).all
        let catalogue = EnvCatalogue.variables.filter(\.isSecret).map(\.name)
        #expect(all == catalogue + ["CUSTOM", "GITHUB_PAT", "ZED_PAT"])
    }

    @Test func backupRemoteIsShownWithInlineCredentialsMasked() throws {
        let remote = ":s3,provider=AWS,access_key_id=AKIAEXAMPLE,secret_access_key='sec:ret,x':bucket/path"
        let rows = EnvironmentModel.rows(EnvLayers(envFile: ["BACKUP_REMOTE": remote]))
        let shown = try #require(rows.first { $0.name == "BACKUP_REMOTE" }).displayValue
        #expect(shown == ":s3,provider=••••,access_key_id=••••,secret_access_key=••••:bucket/path")
        #expect(RemoteCredentials.masked("backup:opencode/prod") == "backup:opencode/prod")
        #expect(RemoteCredentials.masked("sftp://ops:hunter2@host/backups") == "sftp://ops:••••@host/backups")
        #expect(RemoteCredentials.masked("/var/backups/opencode") == "/var/backups/opencode")
    }
}
