import Foundation
import OpsCore
import Testing

@Suite("Environment model", .tags(.probes))
struct EnvironmentModelTests {
    static let secrets = [
        "OPENCODE_SERVER_PASSWORD": "oc-pass-123456",
        "OPENAI_API_KEY": "sk-openai-abcdef",
        "B2_APPLICATION_KEY_ID": "0012keyid987",
        "B2_APPLICATION_KEY": "K001applicationkey",
        "DD_API_KEY": "dd0123456789",
        "FALKORDB_PASSWORD": "falkor-pw-555",
        "CUSTOM_TOKEN": "custom-token-value-42",
    ]

    let image = EnvLayers.dictionary(fromAssignments: [
        "PATH=/opt/venv/bin:/usr/bin", "FALKORDB_HOST=localhost", "FALKORDB_PORT=6379",
        "VALKEY_HOST=localhost", "VALKEY_PORT=6380",
    ])

    func row(_ rows: [EnvRow], _ name: String) throws -> EnvRow {
        try #require(rows.first { $0.name == name }, "no row \(name)")
    }

    @Test func precedenceIsConfigOverEnvFileOverImage() throws {
        let layers = EnvLayers(
            imageDefaults: image,
            envFile: ["FALKORDB_PORT": "7000", "DD_ENV": "staging"],
            config: ["DD_ENV": "prod"]
        )
        let rows = EnvironmentModel.rows(layers)
        #expect(try row(rows, "FALKORDB_HOST").source == .imageDefault)
        #expect(try row(rows, "FALKORDB_HOST").displayValue == "localhost")
        #expect(try row(rows, "FALKORDB_PORT").source == .envFile)
        #expect(try row(rows, "FALKORDB_PORT").displayValue == "7000")
        #expect(try row(rows, "DD_ENV").source == .config)
        #expect(try row(rows, "DD_ENV").displayValue == "prod")
        #expect(try row(rows, "DD_SERVICE").source == .unset)
        #expect(try row(rows, "DD_SERVICE").displayValue == "unset")
        #expect(!rows.contains { $0.name == "PATH" }, "runtime variables are not settings")
        #expect(layers.effectiveEnvironment["DD_ENV"] == "prod")
    }

    @Test func secretsAreMaskedSetOrMissing() throws {
        let rows = EnvironmentModel.rows(EnvLayers(imageDefaults: image, envFile: ["OPENAI_API_KEY": "sk-x-1"]))
        let key = try row(rows, "OPENAI_API_KEY")
        #expect(key.isSecret && key.displayValue == "•••• set")
        let anthropic = try row(rows, "ANTHROPIC_API_KEY")
        #expect(anthropic.displayValue == "missing" && !anthropic.isSet)
        #expect(!anthropic.isMissingRequired, "provider keys are optional")
    }

    @Test func requiredValuesMissingAreFlagged() throws {
        // Without the image (not built yet) the database settings have no value.
        let rows = EnvironmentModel.rows(EnvLayers())
        let host = try row(rows, "FALKORDB_HOST")
        #expect(host.isMissingRequired && host.displayValue == "missing" && host.note == "required")
        #expect(EnvironmentModel.missingRequired(rows) == ["FALKORDB_HOST", "FALKORDB_PORT", "VALKEY_HOST", "VALKEY_PORT"])
        #expect(EnvironmentModel.missingRequired(EnvironmentModel.rows(EnvLayers(imageDefaults: image))).isEmpty)
    }

    @Test func b2KeysBecomeRequiredOnceBackupsAreSwitchedOn() throws {
        let scheduled = EnvironmentModel.rows(EnvLayers(imageDefaults: image, envFile: ["BACKUP_SCHEDULE": "0 3 * * *", "B2_BUCKET": "b"]))
        #expect(EnvironmentModel.missingRequired(scheduled) == ["B2_APPLICATION_KEY_ID", "B2_APPLICATION_KEY"])
        let otherRemote = EnvironmentModel.rows(EnvLayers(imageDefaults: image, envFile: ["BACKUP_SCHEDULE": "0 3 * * *", "BACKUP_REMOTE": "/mnt/x"]))
        #expect(EnvironmentModel.missingRequired(otherRemote).isEmpty)
        let off = EnvironmentModel.rows(EnvLayers(imageDefaults: image))
        #expect(try row(off, "B2_APPLICATION_KEY").neededBy == "backups")
        #expect(EnvironmentModel.missingRequired(off).isEmpty)
    }

    @Test func driftMeansRestartToApply() throws {
        let running = image.merging(["FALKORDB_PORT": "6379", "DD_ENV": "old", "OPENAI_API_KEY": "sk-old", "PATH": "/x"]) { $1 }
        let layers = EnvLayers(
            imageDefaults: image,
            envFile: ["FALKORDB_PORT": "6379", "OPENAI_API_KEY": "sk-new", "VALKEY_PASSWORD": "new-secret"],
            config: ["DD_ENV": "new"], running: running
        )
        let rows = EnvironmentModel.rows(layers)
        #expect(try !row(rows, "FALKORDB_PORT").needsRestart)
        #expect(try row(rows, "DD_ENV").needsRestart)
        #expect(try row(rows, "DD_ENV").note == "differs from the running container: apply (a, or :apply) recreates it")
        #expect(try row(rows, "OPENAI_API_KEY").needsRestart, "a changed secret drifts too, without showing either value")
        #expect(try row(rows, "VALKEY_PASSWORD").needsRestart, "added since the container started")
        #expect(try !row(rows, "DD_SERVICE").needsRestart)
        // Removed from the env file but still in the running container.
        let removed = EnvironmentModel.rows(EnvLayers(imageDefaults: image, running: running))
        #expect(try row(removed, "DD_ENV").needsRestart)
        // No container: nothing to compare.
        #expect(!EnvironmentModel.rows(EnvLayers(imageDefaults: image, config: ["DD_ENV": "x"])).contains { $0.needsRestart })
    }

    @Test func uncataloguedSecretsFileVariablesAreListedAndMasked() throws {
        let rows = EnvironmentModel.rows(EnvLayers(envFile: ["CUSTOM_TOKEN": "custom-token-value-42", "MY_FLAG": "on"]))
        let token = try row(rows, "CUSTOM_TOKEN")
        #expect(!token.isCatalogued && token.isSecret && token.displayValue == "•••• set")
        // Any name the secrets file sets that the catalogue does not know is taken as secret.
        #expect(try row(rows, "MY_FLAG").displayValue == "•••• set")
        #expect(rows.last?.name == "MY_FLAG")
    }

    @Test func envFileValuesFollowPodmanRules() throws {
        let file = try EnvFile.parse("A=1\nB\nC\nA=2\n", path: "secrets.env")
        let values = EnvLayers.dictionary(from: file, callerEnvironment: ["B": "from-caller"])
        #expect(values == ["A": "2", "B": "from-caller"])
    }

    @Test func noSecretValueAppearsInAnyOutput() throws {
        let running = Self.secrets.mapValues { $0 + "-old" }
        for layers in [
            EnvLayers(imageDefaults: image, envFile: Self.secrets),
            // Outside the secrets file an uncatalogued name is secret once the config declares it.
            EnvLayers(imageDefaults: image, config: Self.secrets, running: running, declaredSecrets: ["CUSTOM_TOKEN"]),
            EnvLayers(imageDefaults: Self.secrets, running: [:], declaredSecrets: ["CUSTOM_TOKEN"]),
        ] {
            let rows = EnvironmentModel.rows(layers)
            let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
            let text = rows.map { "\($0) \(String(reflecting: $0)) \($0.note)" }.joined(separator: "\n") + json
            for (name, secret) in Self.secrets {
                #expect(!text.contains(secret), "\(name)'s value leaked")
                #expect(try row(rows, name).displayValue == "•••• set")
            }
            for secret in running.values { #expect(!text.contains(secret)) }
        }
    }

    @Test func catalogueCoversWhatTheImageAndScriptsRead() {
        let names = Set(EnvCatalogue.variables.map(\.name))
        #expect(names.count == EnvCatalogue.variables.count, "duplicate names in the catalogue")
        for name in ["FALKORDB_HOST", "VALKEY_PORT", "DD_AGENT_HOST", "B2_BUCKET", "BACKUP_SCHEDULE", "OPENCODE_SERVER_PASSWORD",
                     "OPENCODE_SERVER_USERNAME", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GRAPHITI_TELEMETRY_ENABLED", "MODEL_NAME"] {
            #expect(names.contains(name), "\(name) missing from the catalogue")
        }
        for spec in EnvCatalogue.variables where SecretNames.looksSecret(spec.name) {
            #expect(spec.isSecret, "\(spec.name) looks secret but is not marked so")
        }
    }
}
