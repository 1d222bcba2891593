import Foundation
import OpsAdapters
import OpsCore
import Testing

/// The first run, keys only: empty XDG folders, the first-run screen, `i` writes the secrets
/// file, and the Environment panel shows what that changed.
@Suite(.enabled(if: TestTools.shouldRun("tmux"))) struct FirstRunEndToEndTests {
    @Test func firstRunScreenWritesTheSecretsFileByKey() async throws {
        try await Harness.requireTmux()
        let directory = try Harness.workspace(secrets: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secrets = directory.appendingPathComponent("config/opencode-ops/secrets.env").path
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("config/opencode-ops").path))

        try await TmuxSession.with(width: 120, height: 40, command: try Harness.command(in: directory)) { tmux in
            let first = try await tmux.waitFor("First run")
            // The path is long here and wraps inside the dialog.
            #expect(first.contains("No secrets file at"))
            #expect(first.contains("write it now"))
            // Behind it, the Environment panel already says what is off.
            #expect(first.contains("server open: no OPENCODE_SERVER_PASSWORD"))
            // Keys other than the screen's own do nothing while it is up.
            try await tmux.send("2")
            try await tmux.send("i")
            let after = try await tmux.waitUntil("the first-run screen to close") { !$0.contains("First run") }
            let result = try await tmux.openMessages(showing: "wrote /")
            #expect(result.contains("OPENCODE_SERVER_PASSWORD"), "the message does not name what was generated")
            try await tmux.send("Escape")

            let attributes = try FileManager.default.attributesOfItem(atPath: secrets)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
            let folder = try FileManager.default.attributesOfItem(atPath: (secrets as NSString).deletingLastPathComponent)
            #expect((folder[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
            let file = try EnvFile.parse(String(contentsOfFile: secrets, encoding: .utf8), path: secrets)
            for name in EnvCatalogue.generatedSecrets {
                let value = try #require(file.value(for: name), "\(name) not written")
                #expect(value.count == 32)
                #expect(!after.contains(value) && !result.contains(value), "a generated password reached the screen")
            }

            // The panel reads the new file: the server password is set (masked), backups still off.
            let panel = try await tmux.waitUntil("the server password to show as set") {
                !$0.contains("server open: no") && $0.contains("backups off: no B2 keys")
            }
            #expect(panel.range(of: #"OPENCODE_SERVER_PASSWO\S*\s+\S+ set"#, options: .regularExpression) != nil, "\(panel)")
            #expect(!panel.contains("OPEN: no server password"), "no pod runs, so the header shows no exposure")

            // A second `i` never overwrites.
            let before = try String(contentsOfFile: secrets, encoding: .utf8)
            try await tmux.send("i")
            try await tmux.openMessages(showing: "a secrets file exists already")
            #expect(try String(contentsOfFile: secrets, encoding: .utf8) == before)
            try await tmux.send("Escape")

            try await tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }
    }

    @Test func initFromAShellNamesThePathAndRefusesAnUnwritableFolder() async throws {
        let directory = try Harness.workspace(secrets: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = directory.path + "/config"
        environment["XDG_STATE_HOME"] = directory.path + "/state"
        environment.removeValue(forKey: "OPENCODE_OPS_CONFIG")
        let runner = ProcessRunner(environment: environment)
        let json = try await runner.run(try Harness.binary(), ["init", "--json"])
        #expect(json.exitCode == 0, "\(json.stderrText)")
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(report["path"] as? String == directory.path + "/config/opencode-ops/secrets.env")
        #expect(report["generated"] as? [String] == EnvCatalogue.generatedSecrets)

        let again = try await runner.run(try Harness.binary(), ["init"])
        #expect(again.exitCode == 1)
        #expect(again.stderrText.contains("already exists"))

        // The config folder's place taken by a file: nothing can be written there.
        environment["XDG_CONFIG_HOME"] = directory.path + "/state/not-a-folder"
        try "x".write(toFile: directory.path + "/state/not-a-folder", atomically: true, encoding: .utf8)
        let blocked = try await ProcessRunner(environment: environment).run(try Harness.binary(), ["init"])
        #expect(blocked.exitCode == 1)
        #expect(blocked.stderrText.contains("\(directory.path)/state/not-a-folder"), "\(blocked.stderrText)")
    }

    @Test func anUnknownSubcommandIsAnErrorWithOrWithoutHelp() async throws {
        for arguments in [["aply"], ["aply", "--help"]] {
            let result = try await ProcessRunner().run(try Harness.binary(), arguments)
            #expect(result.exitCode != 0, "\(arguments) exited 0")
            #expect(result.stderrText.contains("unknown subcommand 'aply'"), "\(result.stderrText)")
            #expect(result.stderrText.contains("init") && result.stderrText.contains("up"), "known subcommands not listed")
        }
    }
}
