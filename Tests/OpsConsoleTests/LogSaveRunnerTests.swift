import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import Testing

/// The log save runner writing into a real state folder of its own.
struct LogSaveRunnerTests {
    @Test func theBuildOutputIsSavedToAPrivateFileTheMessageNames() async throws {
        let console = ConsoleFixture()
        let lines = ["STEP 1/3: FROM alpine", "error: no space left on device", "STEP 2/3: RUN true"]
        let request = LogSaveRequest(source: .build, container: nil, filter: "", lines: lines, pod: "opencode")
        LogSaveRunner(context: console.context).perform(request)

        let (text, level) = try #require(await console.posted.firstMessage())
        #expect(level == .success, "\(text)")
        let folder = (console.context.startup.paths.stateDirectory as NSString).appendingPathComponent("logs")
        let prefix = "saved 3 lines of the build log to "
        #expect(text.hasPrefix(prefix), "\(text)")
        let path = String(text.dropFirst(prefix.count))
        #expect((path as NSString).deletingLastPathComponent == folder)
        #expect((path as NSString).lastPathComponent.hasPrefix("opencode-build-"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == lines.joined(separator: "\n") + "\n")
        #expect(try Self.mode(path) == 0o600)
        #expect(try Self.mode(folder) == 0o700)
    }

    @Test func aFileInPlaceOfTheLogsFolderIsAFailureNotAWrite() async throws {
        let console = ConsoleFixture()
        let state = console.context.startup.paths.stateDirectory
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let blocker = (state as NSString).appendingPathComponent("logs")
        try Data("operator's notes\n".utf8).write(to: URL(fileURLWithPath: blocker))
        let request = LogSaveRequest(source: .build, container: nil, filter: "", lines: ["one"], pod: "opencode")
        LogSaveRunner(context: console.context).perform(request)

        let (text, level) = try #require(await console.posted.firstMessage())
        #expect(level == .failure)
        #expect(text == "could not save the build log: \(blocker) is not a folder")
        #expect(try String(contentsOfFile: blocker, encoding: .utf8) == "operator's notes\n")
    }

    /// Real podman, a container of the test's own: only the lines the panel's filter matches are
    /// saved, from stdout and stderr alike, each with its time as `podman logs --timestamps` has it.
    @Test func aContainerLogIsSavedFilteredAsThePanelShowsIt() async throws {
        let name = TestContainers.name("logsave")
        let ran = try await TestContainers.run(name, [
            "sh", "-c", "echo starting; echo 'ERROR: disk full'; echo ready; echo 'an error on stderr' >&2",
        ])
        #expect(ran.succeeded, "\(ran.stderrText)")

        let console = ConsoleFixture()
        let request = LogSaveRequest(source: .opencode, container: name, filter: "error", lines: [], pod: "opencode")
        LogSaveRunner(context: console.context).perform(request)

        let message = await console.posted.firstMessage()
        // The log is read by now (or the wait gave up): the container can go before any check.
        await TestContainers.remove(name)
        let (text, level) = try #require(message)
        #expect(level == .success, "\(text)")
        let prefix = "saved 2 lines of the opencode log (lines matching \"error\") to "
        #expect(text.hasPrefix(prefix), "\(text)")
        let saved = try String(contentsOfFile: String(text.dropFirst(prefix.count)), encoding: .utf8)
        let lines = saved.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(saved)")
        #expect(lines.contains { $0.hasSuffix(" ERROR: disk full") }, "\(saved)")
        #expect(lines.contains { $0.hasSuffix(" an error on stderr") }, "\(saved)")
        // Each line starts with podman's RFC 3339 time.
        #expect(lines.allSatisfy { $0.prefix(4).allSatisfy(\.isNumber) && $0.dropFirst(4).first == "-" }, "\(saved)")
    }

    /// Real podman, asked for a container that does not exist: its reason is in the message and
    /// the half-made file is gone.
    @Test func podmansRefusalIsPostedAndNoFileIsLeft() async throws {
        let console = ConsoleFixture()
        let container = "opencode-ops-test-no-such-\(UUID().uuidString.prefix(8))"
        let request = LogSaveRequest(source: .opencode, container: container, filter: "error", lines: [], pod: "opencode")
        LogSaveRunner(context: console.context).perform(request)

        let (text, level) = try #require(await console.posted.firstMessage())
        #expect(level == .failure)
        #expect(text.hasPrefix("could not save the opencode log (lines matching \"error\"): "), "\(text)")
        #expect(text.lowercased().contains("no such container"), "\(text)")
        let folder = (console.context.startup.paths.stateDirectory as NSString).appendingPathComponent("logs")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder)) == [])
    }

    private static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
