import Foundation
import OpsAdapters
import Testing

/// The real binary's output: control characters from values never reach a terminal, secrets
/// never show, and a bad secrets file is named by `info` and in errors without its values.
@Suite struct CLISafetyEndToEndTests {
    /// A workspace with `config.yaml` and `secrets.env` (mode 0600 unless `secretsMode` says).
    static func workspace(config: String, secrets: String, secretsMode: Int = 0o600) throws -> (URL, [String: String]) {
        let directory = try Harness.workspace()
        let folder = directory.appendingPathComponent("config/opencode-ops")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try config.write(to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let secretsPath = folder.appendingPathComponent("secrets.env").path
        try secrets.write(toFile: secretsPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: secretsMode], ofItemAtPath: secretsPath)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
        environment["XDG_STATE_HOME"] = directory.appendingPathComponent("state").path
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = "C.UTF-8"
        return (directory, environment)
    }

    /// `env` prints a config value holding a title sequence, a screen clear and a C1 control:
    /// on a terminal (a pty from `script`) each becomes a visible placeholder; through a pipe the
    /// bytes stay as they are.
    @Test func envOutputOnATerminalCarriesNoControlCharacters() async throws {
        let config = "environment:\n  MODEL_NAME: \"a\\e]0;pwned\\ab\\e[2Jc\\u009Bd\"\n"
        let (directory, environment) = try Self.workspace(config: config, secrets: "DD_ENV=test\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = try Harness.binary()
        let runner = ProcessRunner(environment: environment)
        guard (try? await runner.run("script", ["--version"]))?.succeeded == true else {
            throw E2EError("script (util-linux) is not installed")
        }
        let terminal = try await runner.run("script", ["-qec", "\(binary) env", "/dev/null"])
        let bytes = [UInt8](terminal.stdout)
        #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "escape or bell reached the terminal")
        #expect(!terminal.stdoutText.unicodeScalars.contains("\u{9B}"), "a C1 control reached the terminal")
        #expect(terminal.stdoutText.contains("a␛]0;pwned␇b␛[2Jc\u{FFFD}d"), "\(terminal.stdoutText)")

        let piped = try await runner.run(binary, ["env"])
        #expect(piped.stdoutText.contains("a\u{1B}]0;pwned\u{07}b\u{1B}[2Jc"), "a pipe should get the bytes unchanged")
    }

    /// A secrets file open to others: `info` lists it with the fix.
    @Test func infoListsAnOpenSecretsFile() async throws {
        let (directory, environment) = try Self.workspace(config: "pod: opencode\n", secrets: "DD_ENV=x\n", secretsMode: 0o644)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["info"])
        #expect(result.stdoutText.contains("problems        1"), "\(result.stdoutText)")
        #expect(result.stdoutText.contains("mode 644): run chmod 600 "), "\(result.stdoutText)")
        let json = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["info", "--json"])
        #expect(json.stdoutText.contains("secretsFileProblem"))
    }

    /// Unknown names in the secrets file are secret, `secret_names` declares more, and a remote
    /// string's credentials are masked: none of the values appears in `env` or `env --json`.
    @Test func declaredSecretsAndRemoteCredentialsNeverShow() async throws {
        let secrets = "GITHUB_PAT=ghp_secretvalue42\nBACKUP_REMOTE=:b2,account=acct42,key=remotekey42:bucket/opencode\n"
        let config = "environment:\n  MY_TOKEN_PAT: tokenvalue42\nsecret_names: [MY_TOKEN_PAT]\n"
        let (directory, environment) = try Self.workspace(config: config, secrets: secrets)
        defer { try? FileManager.default.removeItem(at: directory) }
        for arguments in [["env"], ["env", "--json"]] {
            let result = try await ProcessRunner(environment: environment).run(try Harness.binary(), arguments)
            let output = result.stdoutText + result.stderrText
            for value in ["ghp_secretvalue42", "acct42", "remotekey42", "tokenvalue42"] {
                #expect(!output.contains(value), "\(arguments): \(value) shown")
            }
            #expect(output.contains("GITHUB_PAT") && output.contains("MY_TOKEN_PAT"))
            #expect(output.contains(":b2,account=••••,key=••••:bucket"), "\(output)")
        }
    }

    /// A secret typed with the wrong separator: the error names file, line and variable only.
    @Test func secretsFileErrorNamesTheVariableButNotTheValue() async throws {
        let (directory, environment) = try Self.workspace(config: "pod: opencode\n", secrets: "DD_ENV=x\nDD_API_KEY: dd-live-secret-42\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["env"])
        #expect(result.exitCode == 2)
        #expect(result.stderrText.contains("secrets.env:2: variable DD_API_KEY: "), "\(result.stderrText)")
        #expect(!(result.stdoutText + result.stderrText).contains("dd-live-secret-42"))
    }
}
