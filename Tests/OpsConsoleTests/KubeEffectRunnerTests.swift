import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import Testing

/// The kube runner writing manifests into a real state folder of its own.
struct KubeEffectRunnerTests {
    @Test func anExportWritesTheManifestsTheMessageNamesAndIsAudited() async throws {
        let jobs = RecordedJobs()
        let console = ConsoleFixture(jobs: jobs)
        KubeEffectRunner(context: console.context).perform(.export(Settings()))

        let (text, level) = try #require(await console.posted.firstMessage())
        #expect(level == .success, "\(text)")
        let folder = KubeExportLocation.directory(paths: console.context.startup.paths)
        #expect(text.hasPrefix("kube: wrote "), "\(text)")
        #expect(text.contains(" to \(folder)"), "\(text)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(!written.isEmpty)
        for name in written {
            #expect(text.contains(name), "\(name) is not named in \(text)")
            let path = (folder as NSString).appendingPathComponent(name)
            #expect(try !String(contentsOfFile: path, encoding: .utf8).isEmpty, "\(name) is empty")
        }
        #expect(jobs.records.map(\.action) == ["kube export"])
        #expect(jobs.records.first?.target == folder)
        #expect(jobs.records.first?.result == "succeeded")
    }

    @Test func aFileInPlaceOfTheExportFolderIsAFailureAndAudited() async throws {
        let jobs = RecordedJobs()
        let console = ConsoleFixture(jobs: jobs)
        let folder = KubeExportLocation.directory(paths: console.context.startup.paths)
        try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("operator's notes\n".utf8).write(to: URL(fileURLWithPath: folder))
        KubeEffectRunner(context: console.context).perform(.export(Settings()))

        let (text, level) = try #require(await console.posted.firstMessage())
        #expect(level == .failure)
        #expect(text.hasPrefix("kube export failed: "), "\(text)")
        #expect(text.contains(folder), "\(text)")
        #expect(try String(contentsOfFile: folder, encoding: .utf8) == "operator's notes\n")
        #expect(jobs.records.map(\.action) == ["kube export"])
        #expect(jobs.records.first?.result == text)
    }
}
