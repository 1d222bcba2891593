import Testing
@testable import OpsCore

@Suite struct EnvironmentRowsTests {
    @Test func configOverridesContainerfileDefaultsAndSecretsAreMasked() {
        var settings = Settings()
        settings.environment = ["FALKORDB_PORT": "7000", "DD_API_KEY": "abc123secret", "DD_ENV": "prod"]
        let defaults = [ContainerfileEnv.Variable(name: "FALKORDB_PORT", value: "6379", line: 9),
                        ContainerfileEnv.Variable(name: "VALKEY_PORT", value: "6380", line: 9)]
        let rows = EnvironmentRows.make(containerfile: defaults, settings: settings)
        let port = rows.first { $0.name == "FALKORDB_PORT" }
        #expect(port?.value == "7000")
        #expect(port?.source == .config)
        #expect(port?.note.contains("needed by") == true)
        // Image defaults read from the Containerfile say so.
        #expect(rows.first { $0.name == "FALKORDB_HOST" }?.source == .unset)
        let key = rows.first { $0.name == "DD_API_KEY" }
        #expect(key?.isSecret == true)
        #expect(key?.value == "set")
        #expect(!rows.contains { $0.value.contains("abc123secret") || $0.note.contains("abc123secret") })
        #expect(rows.first { $0.name == "VALKEY_PORT" }?.source == .containerfile)
        #expect(rows.first { $0.name == "FALKORDB_HOST" }?.isMissingRequired == true)
        #expect(rows.contains { $0.kind == .setting && $0.name == "pod" && $0.source == .consoleDefault })
    }

    /// An unset variable with a documented default shows the default as its value, sourced
    /// "default"; a required one without a value stays missing, a secret stays missing.
    @Test func documentedDefaultsShowAsDefaultsNotUnset() {
        let rows = EnvironmentRows.make(containerfile: [], settings: Settings())
        for (name, value) in [("BACKUP_STATE_DIR", "/var/lib/opencode-backup"), ("OPENCODE_DATA_DIR", "/root/.local/share/opencode"),
                              ("OPENCODE_SERVER_USERNAME", "opencode")] {
            let row = rows.first { $0.name == name }
            #expect(row?.value == value && row?.source == .consoleDefault, "\(name): \(String(describing: row))")
            #expect(row?.note.contains("unset: falls back to \(value)") == true)
        }
        #expect(rows.first { $0.name == "MODEL_NAME" }?.source == .unset, "no documented default")
        #expect(rows.first { $0.name == "OPENAI_API_KEY" }?.value == "missing")
        let host = rows.first { $0.name == "FALKORDB_HOST" }
        #expect(host?.isMissingRequired == true && host?.source == .unset, "a required value is not papered over by its default")
    }

    @Test func secretLookingNamesComparedByWholeParts() {
        #expect(SecretNames.looksSecret("DD_API_KEY"))
        #expect(SecretNames.looksSecret("B2_APPLICATION_KEY"))
        #expect(SecretNames.looksSecret("OPENCODE_SERVER_PASSWORD"))
        #expect(SecretNames.looksSecret("GITHUB_PAT"))
        #expect(!SecretNames.looksSecret("VALKEY_HOST"))
        #expect(!SecretNames.looksSecret("FALKORDB_PORT"))
    }
}
