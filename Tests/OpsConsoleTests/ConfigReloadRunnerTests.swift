import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import Testing

/// The config reload runner watching a real XDG config folder of its own through inotify.
struct ConfigReloadRunnerTests {
    @Test func aValidEditIsPostedAndTakenByTheRunners() async throws {
        let (console, runner) = try Self.watching()
        defer { runner.stop() }
        let configFile = console.context.startup.paths.configFile
        try Self.write("pod: edited-pod\nreadonly: true\n", to: configFile)

        let reloaded = try #require(await Self.reload(console) { $0.settings.pod == "edited-pod" })
        #expect(reloaded.settings.readonly)
        #expect(reloaded.problems.isEmpty)
        // A live key reaches the runners at once; another pod waits for a restart.
        let current = console.context.startup.settingsStore.current
        #expect(current.readonly)
        #expect(current.pod == Settings().pod)
    }

    @Test func brokenYAMLIsAProblemNamingFileAndLineAndTheWatchGoesOn() async throws {
        let (console, runner) = try Self.watching()
        defer { runner.stop() }
        let configFile = console.context.startup.paths.configFile
        try Self.write("log_lines: 3000\n", to: configFile)
        _ = try #require(await Self.reload(console) { $0.settings.logLines == 3000 })

        try Self.write("log_lines: 5000\npodman:\n\tbinary: x\n", to: configFile)
        let broken = try #require(await Self.reload(console) { !$0.problems.isEmpty })
        #expect(broken.problems.count == 1)
        #expect(broken.problems.first?.hasPrefix("\(configFile):3: YAML syntax error") == true, "\(broken.problems)")
        // A file that did not read cleanly leaves the runners on what they had.
        #expect(console.context.startup.settingsStore.current.logLines == 3000)

        try Self.write("log_lines: 4000\n", to: configFile)
        let fixed = try #require(await Self.reload(console) { $0.settings.logLines == 4000 })
        #expect(fixed.problems.isEmpty)
        #expect(console.context.startup.settingsStore.current.logLines == 4000)
    }

    @Test func aThemeFileChangeIsPosted() async throws {
        let (console, runner) = try Self.watching()
        defer { runner.stop() }
        let theme = (console.context.startup.paths.userThemesDirectory as NSString).appendingPathComponent("mine.yaml")
        try Self.write("name: mine\n", to: theme)

        let changed = await console.posted.wait(ceiling: 120) { actions in
            actions.contains { if case .themeFilesChanged = $0 { true } else { false } }
        }
        #expect(changed)
        #expect(console.posted.all { if case .settingsReloaded = $0 { 1 } else { nil } }.isEmpty)
    }

    /// A console whose config and themes folders exist (the watch skips missing ones), watched.
    private static func watching() throws -> (ConsoleFixture, ConfigReloadRunner) {
        let console = ConsoleFixture()
        let paths = console.context.startup.paths
        for folder in [(paths.configFile as NSString).deletingLastPathComponent, paths.userThemesDirectory] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let runner = ConfigReloadRunner(context: console.context)
        runner.watchConfig()
        return (console, runner)
    }

    private static func write(_ text: String, to path: String) throws {
        // Written whole and renamed into place, as editors save: no half-written file is read.
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    typealias Reload = (settings: Settings, problems: [String])

    /// The first reload `match` picks, waiting with a ceiling that only tells a hang.
    private static func reload(_ console: ConsoleFixture, _ match: @escaping (Reload) -> Bool) async -> Reload? {
        await console.posted.first { action -> Reload? in
            if case .settingsReloaded(let settings, let problems) = action, match((settings, problems)) { return (settings, problems) }
            return nil
        }
    }
}
