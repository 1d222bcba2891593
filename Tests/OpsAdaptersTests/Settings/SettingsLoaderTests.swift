import Foundation
import OpsAdapters
import OpsCore
import Testing

@Suite("SettingsLoader", .tags(.settings))
struct SettingsLoaderTests {
    static let file = "config.yaml"
    static let actions: Set<String> = ["help", "quit", "cycle-theme", "palette"]

    func parse(_ text: String) -> (Settings, [ConfigDiagnostic]) {
        SettingsLoader.parse(text, file: Self.file, knownKeyActions: Self.actions)
    }

    @Test func missingFileGivesDefaultsWithoutDiagnostics() throws {
        let folder = try ScratchFolder()
        let (settings, diagnostics) = SettingsLoader.load(from: folder.join("absent/config.yaml"), knownKeyActions: Self.actions)
        #expect(settings == Settings())
        #expect(diagnostics.isEmpty)
    }

    @Test func emptyAndCommentOnlyFilesGiveDefaults() {
        for text in ["", "# nothing here\n", "---\n"] {
            let (settings, diagnostics) = parse(text)
            #expect(settings == Settings())
            #expect(diagnostics.isEmpty, "\(text): \(diagnostics)")
        }
    }

    @Test func everyKeyIsRead() {
        let (settings, diagnostics) = parse("""
            theme: dark256
            build_context: /srv/opencode
            containerfile: Containerfile.dev
            image: localhost/oc:test
            pod: oc-test
            bind_address: "::1"
            port: 8080
            falkordb_image: localhost/falkordb:1
            valkey_image: localhost/valkey:8
            env_file: ~/secrets/oc.env
            build_args:
              OPENCODE_VERSION: 1.2.3
              DEBUG: true
            environment:
              OPENCODE_LOG_LEVEL: debug
            podman:
              binary: /usr/local/bin/podman
              connection: remote-box
            log_lines: 500
            mouse: yes
            readonly: true
            keys:
              quit: ctrl-q
              cycle-theme: "t,f2"
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        var expected = Settings()
        expected.theme = "dark256"
        expected.buildContext = "/srv/opencode"
        expected.containerfile = "Containerfile.dev"
        expected.image = "localhost/oc:test"
        expected.pod = "oc-test"
        expected.bindAddress = "::1"
        expected.port = 8080
        expected.falkordbImage = "localhost/falkordb:1"
        expected.valkeyImage = "localhost/valkey:8"
        expected.envFile = "~/secrets/oc.env"
        expected.buildArgs = ["OPENCODE_VERSION": "1.2.3", "DEBUG": "true"]
        expected.environment = ["OPENCODE_LOG_LEVEL": "debug"]
        expected.podmanBinary = "/usr/local/bin/podman"
        expected.podmanConnection = "remote-box"
        expected.logLines = 500
        expected.mouse = true
        expected.readonly = true
        expected.keys = ["quit": "ctrl-q", "cycle-theme": "t,f2"]
        #expect(settings == expected)
    }

    @Test func unknownKeyIsReportedWithLineAndSuggestion() {
        let (settings, diagnostics) = parse("theme: light\n\nprot: 8080\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "prot", containing: "unknown key (did you mean \"port\"?)")
        #expect(settings.theme == "light")
        #expect(settings.port == 4096)
    }

    @Test func unknownKeyFarFromAnyKnownOneListsTheKnownKeys() {
        let (_, diagnostics) = parse("colour_scheme: x\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: "colour_scheme", containing: "known keys: theme, build_context")
    }

    @Test func unknownNestedPodmanKey() {
        let (settings, diagnostics) = parse("podman:\n  binary: /opt/podman\n  remote: yes\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "podman.remote", containing: "unknown key")
        #expect(settings.podmanBinary == "/opt/podman")
    }

    @Test func integerGivenText() {
        let (settings, diagnostics) = parse("image: x\nport: abc\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "port", containing: "expected an integer, got \"abc\"")
        #expect(settings.port == 4096)
        #expect(settings.image == "x")
    }

    @Test func integerGivenFractionOrList() {
        let (_, fraction) = parse("log_lines: 12.5\n")
        expectSingleDiagnostic(fraction, file: Self.file, line: 1, key: "log_lines", containing: "expected an integer, got \"12.5\"")
        let (_, list) = parse("\nport: [1, 2]\n")
        expectSingleDiagnostic(list, file: Self.file, line: 2, key: "port", containing: "expected an integer, got a list")
    }

    @Test func quotedDigitsAreAcceptedAsAnInteger() {
        let (settings, diagnostics) = parse("port: \"8081\"\n")
        #expect(diagnostics.isEmpty)
        #expect(settings.port == 8081)
    }

    @Test func negativeAndTooLargePortsAreOutOfRange() {
        let (settings, negative) = parse("port: -1\n")
        expectSingleDiagnostic(negative, file: Self.file, line: 1, key: "port", containing: "-1 is out of range (1-65535)")
        #expect(settings.port == 4096)
        let (_, large) = parse("pod: a\nport: 70000\n")
        expectSingleDiagnostic(large, file: Self.file, line: 2, key: "port", containing: "70000 is out of range")
        let (_, zeroLines) = parse("log_lines: 0\n")
        expectSingleDiagnostic(zeroLines, file: Self.file, line: 1, key: "log_lines", containing: "0 is out of range (1-1000000)")
    }

    @Test func booleanGivenOtherText() {
        let (settings, diagnostics) = parse("readonly: true\nmouse: sometimes\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "mouse", containing: "expected true or false, got \"sometimes\"")
        #expect(settings.readonly == true)
        #expect(settings.mouse == false)
    }

    @Test func booleanGivenQuotedWord() {
        // Quoted, "true" is a string; saying so beats guessing.
        let (_, diagnostics) = parse("mouse: \"true\"\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: "mouse", containing: "expected true or false")
    }

    @Test func stringGivenMappingOrList() {
        let (settings, diagnostics) = parse("image:\n  name: x\npod: [a, b]\n")
        #expect(diagnostics.count == 2)
        #expect(diagnostics.first?.description == "config.yaml:2: key \"image\": expected a string, got a mapping")
        #expect(diagnostics.last?.description == "config.yaml:3: key \"pod\": expected a string, got a list")
        #expect(settings.image == Settings().image)
        #expect(settings.pod == Settings().pod)
    }

    @Test func emptyValueKeepsTheDefault() {
        let (settings, diagnostics) = parse("image:\nport: ~\n")
        // An empty integer is a mistake worth naming; an empty string just means "default".
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "port", containing: "expected an integer, got nothing")
        #expect(settings.image == Settings().image)
    }

    @Test func requiredStringMustNotBeEmpty() {
        let (settings, diagnostics) = parse("containerfile: \"\"\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: "containerfile", containing: "must not be empty")
        #expect(settings.containerfile == "Containerfile")
    }

    @Test func mapGivenList() {
        let (_, diagnostics) = parse("build_args:\n  - A=1\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "build_args", containing: "expected a mapping of names to values, got a list")
    }

    @Test func mapValueGivenMapping() {
        let (settings, diagnostics) = parse("environment:\n  GOOD: one\n  NESTED:\n    deeper: 1\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 4, key: "environment.NESTED", containing: "expected a string, got a mapping")
        #expect(settings.environment == ["GOOD": "one"])
    }

    @Test func invalidVariableName() {
        let (settings, diagnostics) = parse("build_args:\n  1BAD: x\n  OK_1: y\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 2, key: "build_args.1BAD", containing: "not a valid variable name")
        #expect(settings.buildArgs == ["OK_1": "y"])
    }

    @Test func secretLookingVariableIsRefusedWithoutEchoingIt() {
        let (settings, diagnostics) = parse("environment:\n  LOG_LEVEL: info\n  ANTHROPIC_API_KEY: sk-live-123\n")
        let diagnostic = expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "environment.ANTHROPIC_API_KEY", containing: "looks like a secret")
        #expect(diagnostic?.description.contains("sk-live-123") == false)
        #expect(settings.environment == ["LOG_LEVEL": "info"])
    }

    /// A name listed under `secret_names` may keep its value in the config (masked wherever it
    /// shows); the list may come before or after `environment:`.
    @Test func declaredSecretNamesAreKeptAndListed() {
        let (settings, diagnostics) = parse("environment:\n  GITHUB_PAT: ghp_123\n  LOG_LEVEL: info\nsecret_names: [GITHUB_PAT, LOG_LEVEL]\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(settings.environment == ["GITHUB_PAT": "ghp_123", "LOG_LEVEL": "info"])
        #expect(settings.secretNames == ["GITHUB_PAT", "LOG_LEVEL"])
        let (undeclared, problems) = parse("environment:\n  GITHUB_PAT: ghp_123\n")
        let diagnostic = expectSingleDiagnostic(problems, file: Self.file, line: 2, key: "environment.GITHUB_PAT", containing: "secret_names")
        #expect(diagnostic?.description.contains("ghp_123") == false)
        #expect(undeclared.environment.isEmpty)
        let (_, bad) = parse("secret_names: [\"NOT A NAME\"]\n")
        expectSingleDiagnostic(bad, file: Self.file, line: 1, key: "secret_names", containing: "not a variable name")
        let (_, scalar) = parse("secret_names: GITHUB_PAT\n")
        expectSingleDiagnostic(scalar, file: Self.file, line: 1, key: "secret_names", containing: "a list of variable names")
    }

    /// Image references reach podman's command line: `--help` would be read as an option.
    @Test func optionLikeImageIsRefusedNamingTheField() {
        let (settings, diagnostics) = parse("falkordb_image: \"--help\"\nvalkey_image: docker.io/valkey/valkey:8\nimage: \"Bad Image\"\n")
        #expect(diagnostics.count == 2, "\(diagnostics)")
        #expect(diagnostics.contains { $0.key == "falkordb_image" && $0.line == 1 && $0.message.contains("would be read as an option") })
        #expect(diagnostics.contains { $0.key == "image" && $0.line == 3 })
        #expect(settings.falkordbImage == Settings().falkordbImage)
        #expect(settings.valkeyImage == "docker.io/valkey/valkey:8")
        #expect(settings.image == Settings().image)
    }

    @Test func podmanGivenScalar() {
        let (_, diagnostics) = parse("podman: /usr/bin/podman\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: "podman", containing: "expected a mapping with binary and connection, got \"/usr/bin/podman\"")
    }

    @Test func keyBindingForUnknownAction() {
        let (settings, diagnostics) = parse("keys:\n  quit: ctrl-q\n  qiut: x\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 3, key: "keys.qiut", containing: "unknown action (did you mean \"quit\"?)")
        #expect(settings.keys == ["quit": "ctrl-q"])
    }

    @Test func keyBindingWithUnknownKeySpec() {
        let (settings, diagnostics) = parse("keys:\n  help: ctrl-alt-delete\n  quit: \"\"\n")
        #expect(diagnostics.count == 2)
        #expect(diagnostics.first?.description.hasPrefix("config.yaml:2: key \"keys.help\": unknown key \"ctrl-alt-delete\"") == true)
        #expect(diagnostics.last?.description.hasPrefix("config.yaml:3: key \"keys.quit\": needs a key") == true)
        #expect(settings.keys.isEmpty)
    }

    @Test func keyBindingsGivenList() {
        let (_, diagnostics) = parse("keys: [q]\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: "keys", containing: "expected a mapping")
    }

    @Test func nilActionSetSkipsTheActionCheck() {
        let (settings, diagnostics) = SettingsLoader.parse("keys:\n  anything: x\n", file: Self.file, knownKeyActions: nil)
        #expect(diagnostics.isEmpty)
        #expect(settings.keys == ["anything": "x"])
    }

    @Test func invalidThemePodAndAddress() {
        let (settings, diagnostics) = parse("theme: ../../etc/passwd\npod: -bad\nbind_address: localhost\n")
        #expect(diagnostics.map(\.line) == [1, 2, 3])
        #expect(diagnostics.map(\.key) == ["theme", "pod", "bind_address"])
        #expect(diagnostics[0].message.contains("not a theme name"))
        #expect(diagnostics[1].message.contains("not a valid pod name"))
        #expect(diagnostics[2].message.contains("expected an IPv4 or IPv6 address"))
        #expect(settings == Settings())
    }

    @Test func yamlSyntaxErrorNamesFileAndLine() {
        let (settings, diagnostics) = parse("theme: light\nport: 8080\nimage: [unclosed\npod: x\n")
        #expect(diagnostics.count == 1)
        let diagnostic = diagnostics.first
        #expect(diagnostic?.file == Self.file)
        #expect(diagnostic?.message.hasPrefix("YAML syntax error") == true)
        // libyaml notices the missing ']' where the flow sequence should have ended.
        #expect((3...5).contains(diagnostic?.line ?? 0), "\(String(describing: diagnostic))")
        #expect(settings == Settings())
    }

    @Test func tabIndentationIsASyntaxErrorOnItsLine() {
        let (_, diagnostics) = parse("theme: light\npodman:\n\tbinary: x\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.line == 3)
        #expect(diagnostics.first?.description.hasPrefix("config.yaml:3: YAML syntax error") == true)
    }

    @Test func duplicateKeyIsNamed() {
        let (_, diagnostics) = parse("port: 1\ntheme: a\nport: 2\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.key == "port")
        #expect(diagnostics.first?.line != nil)
        #expect(diagnostics.first?.message.contains("more than once") == true)
    }

    @Test func topLevelListIsReported() {
        let (settings, diagnostics) = parse("- theme: light\n")
        expectSingleDiagnostic(diagnostics, file: Self.file, line: 1, key: nil, containing: "must be a mapping of keys to values, got a list")
        #expect(settings == Settings())
    }

    @Test func goodKeysSurviveManyBadOnes() {
        let (settings, diagnostics) = parse("""
            theme: monochrome
            port: lots
            mouse: 3
            pod: opencode-dev
            extra: 1
            log_lines: 100
            """)
        #expect(diagnostics.map(\.key) == ["port", "mouse", "extra"])
        #expect(diagnostics.map(\.line) == [2, 3, 5])
        #expect(settings.theme == "monochrome")
        #expect(settings.pod == "opencode-dev")
        #expect(settings.logLines == 100)
        #expect(settings.port == 4096)
    }

    @Test func loadFromFileUsesItsPathInDiagnostics() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("config.yaml", "port: abc\n")
        let (_, diagnostics) = SettingsLoader.load(from: path, knownKeyActions: Self.actions)
        expectSingleDiagnostic(diagnostics, file: path, line: 1, key: "port", containing: "expected an integer")
    }

    @Test func invalidUTF8IsReported() throws {
        let folder = try ScratchFolder()
        let path = folder.join("config.yaml")
        try Data([0x70, 0x6F, 0x64, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: path))
        let (settings, diagnostics) = SettingsLoader.load(from: path, knownKeyActions: Self.actions)
        expectSingleDiagnostic(diagnostics, file: path, line: nil, key: nil, containing: "not valid UTF-8")
        #expect(settings == Settings())
    }

    @Test func exampleConfigIsValidAndStatesTheDefaults() throws {
        let path = (repositoryRoot as NSString).appendingPathComponent("config.example.yaml")
        let actions = Set(Command.allCases.map(\.rawValue))
        let (settings, diagnostics) = SettingsLoader.load(from: path, knownKeyActions: actions)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(settings == Settings())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in SettingsLoader.topLevelKeys + SettingsLoader.podmanKeys {
            #expect(text.contains("\(key):"), "config.example.yaml does not document \(key)")
        }
        for action in actions {
            #expect(text.contains(action), "config.example.yaml does not list the action \(action)")
        }
    }
}
