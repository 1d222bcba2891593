import Foundation
import OpsAdapters
import OpsCore
import Testing

@Suite struct SecretsInitializerTests {
    private func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test func writesAPrivateFileWithGeneratedPasswords() throws {
        let scratch = try ScratchFolder()
        let path = scratch.join("config/opencode-ops/secrets.env")
        let outcome = try SecretsInitializer(path: path).run()
        #expect(outcome.path == path)
        #expect(outcome.backup == nil)
        #expect(try mode(path) == 0o600)
        #expect(try mode(scratch.join("config/opencode-ops")) == 0o700)
        #expect(try mode(scratch.join("config")) == 0o700)
        let file = try EnvFile.parse(String(contentsOfFile: path, encoding: .utf8), path: path)
        for name in EnvCatalogue.generatedSecrets {
            #expect((file.value(for: name) ?? "").count == 32, "\(name) not generated")
        }
        #expect(file.value(for: "FALKORDB_PASSWORD") != file.value(for: "VALKEY_PASSWORD"))
    }

    @Test func neverOverwritesWithoutForceAndKeepsABackupWithIt() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("secrets.env", "OPENAI_API_KEY=mine\n")
        #expect(throws: SecretsInitError.self) { try SecretsInitializer(path: path).run() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "OPENAI_API_KEY=mine\n")

        let outcome = try SecretsInitializer(path: path, force: true).run()
        #expect(outcome.backup == path + ".bak")
        #expect(try String(contentsOfFile: path + ".bak", encoding: .utf8) == "OPENAI_API_KEY=mine\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("OPENCODE_SERVER_PASSWORD="))
        #expect(try mode(path) == 0o600)
    }

    @Test func refusesToWriteThroughASymbolicLink() throws {
        let scratch = try ScratchFolder()
        let target = try scratch.write("elsewhere.txt", "untouched\n")
        let path = scratch.join("secrets.env")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        for force in [false, true] {
            let error = try #require(throws: SecretsInitError.self) { try SecretsInitializer(path: path, force: force).run() }
            #expect(error.message.contains("symbolic link"))
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched\n")
    }

    @Test func anUnwritableFolderIsAClearError() throws {
        let scratch = try ScratchFolder()
        // A file where the folder should be: unwritable for root too.
        try scratch.write("config", "not a folder\n")
        let error = try #require(throws: SecretsInitError.self) {
            try SecretsInitializer(path: scratch.join("config/opencode-ops/secrets.env")).run()
        }
        #expect(error.message.contains(scratch.join("config")))
    }
}
