import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops init`: writes the secrets file listing every variable the image reads, with
/// generated passwords for the OpenCode server and the databases.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write the secrets file: every variable the image reads, passwords generated."
    )

    @Flag(name: .long, help: "Replace an existing secrets file, keeping the old one as .bak.")
    var force = false

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var readonly: ReadonlyOption

    func run() throws {
        let context = PodmanCommandContext.load()
        if !json { context.reportDiagnostics() }
        let path = context.paths.secretsFile(for: context.settings)
        try readonly.requireWritable("init", context: context, target: path)
        let outcome: SecretsInitializer.Outcome
        do {
            outcome = try SecretsInitializer(path: path, force: force).run()
            CommandAudit.record("init", target: path, result: outcome.backup == nil ? "ok" : "ok (previous file kept as .bak)")
        } catch {
            CommandAudit.record("init", target: path, result: "failed: \(error.message)")
            if json {
                try printJSON(InitReport(ok: false, path: path, backup: nil, generated: [], error: error.message))
            } else {
                printError("error: \(error.message)")
            }
            throw ExitCode.failure
        }
        if json {
            try printJSON(InitReport(ok: true, path: outcome.path, backup: outcome.backup, generated: outcome.generated, error: nil))
        } else {
            if let backup = outcome.backup { print("kept the previous file as \(backup)") }
            print("wrote \(outcome.path)")
            print("generated: \(outcome.generated.joined(separator: ", "))")
            print("next: fill in the values you need (provider keys, B2), then `opencode-ops up`")
        }
    }

    private func printJSON(_ report: InitReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

/// `init --json`: never holds a value, only names.
struct InitReport: Codable {
    var ok: Bool
    var path: String
    var backup: String?
    var generated: [String]
    var error: String?
}
