import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import Testing

/// The health runner with a real secrets file in a state folder of its own. Podman is given a
/// connection it does not know, so the probes it starts end quickly and touch no pod.
struct HealthEffectRunnerTests {
    @Test func anEnvFileThatDoesNotParseIsNamedByLineWithoutItsValueAndTheProbesStillStart() async throws {
        let console = ConsoleFixture(settings: PodmanQueryRunnerTests.unreachable)
        let path = console.context.startup.paths.defaultSecretsFile
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("# keys\nDD_API_KEY: s3cret-value-0a1b\n".utf8).write(to: URL(fileURLWithPath: path))
        let runner = HealthEffectRunner(context: console.context)
        runner.perform(.start)
        defer { runner.stop() }

        let started = try #require(await console.posted.first { action -> [ProbeID]? in
            if case .health(.started(let probes)) = action { return probes }
            return nil
        })
        #expect(!started.isEmpty)
        #expect(!started.contains(.b2Authorize))
        let failures = console.posted.all { action -> String? in
            if case .health(.failed(let text)) = action { return text }
            return nil
        }
        #expect(failures.count == 1, "\(failures)")
        #expect(failures.first?.hasPrefix("env file \(path):2: variable DD_API_KEY: ") == true, "\(failures)")
        #expect(failures.allSatisfy { !$0.contains("s3cret-value-0a1b") })
    }

    @Test func writingSecretsMakesAPrivateFileAndStartsTheProbesOnIt() async throws {
        let console = ConsoleFixture(settings: PodmanQueryRunnerTests.unreachable)
        let path = console.context.startup.paths.defaultSecretsFile
        let runner = HealthEffectRunner(context: console.context)
        runner.perform(.writeSecrets(path: path))
        defer { runner.stop() }

        let written = try #require(await console.posted.first { action -> (String, [String])? in
            if case .health(.secretsWritten(let path, let generated)) = action { return (path, generated) }
            return nil
        })
        #expect(written.0 == path)
        #expect(!written.1.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for name in written.1 {
            #expect(text.contains("\n\(name)=") || text.hasPrefix("\(name)="), "\(name) is not in the file")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int ?? -1) & 0o777 == 0o600)
        let started = await console.posted.wait { actions in
            actions.contains { if case .health(.started) = $0 { true } else { false } }
        }
        #expect(started, "the probes did not start on the new file")
    }

    @Test func secretsThatCannotBeWrittenAreAFailureAndNoProbesStart() async throws {
        let console = ConsoleFixture(settings: PodmanQueryRunnerTests.unreachable)
        let state = console.context.startup.paths.stateDirectory
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let blocker = (state as NSString).appendingPathComponent("secrets")
        try Data("operator's notes\n".utf8).write(to: URL(fileURLWithPath: blocker))
        let runner = HealthEffectRunner(context: console.context)
        runner.perform(.writeSecrets(path: (blocker as NSString).appendingPathComponent("opencode.env")))
        defer { runner.stop() }

        let failure = try #require(await console.posted.first { action -> String? in
            if case .health(.failed(let text)) = action { return text }
            return nil
        })
        #expect(failure.hasPrefix("init: "), "\(failure)")
        #expect(failure.contains(blocker), "\(failure)")
        #expect(try String(contentsOfFile: blocker, encoding: .utf8) == "operator's notes\n")

        // A write that works afterwards starts the probes once: the failed one started none.
        let path = console.context.startup.paths.defaultSecretsFile
        runner.perform(.writeSecrets(path: path))
        let startedAfterWrite = await console.posted.wait { actions in
            guard let written = actions.firstIndex(where: { if case .health(.secretsWritten) = $0 { true } else { false } }) else { return false }
            return actions[written...].contains { if case .health(.started) = $0 { true } else { false } }
        }
        #expect(startedAfterWrite)
        #expect(console.posted.all { if case .health(.started) = $0 { 1 } else { nil } }.count == 1)
    }
}
