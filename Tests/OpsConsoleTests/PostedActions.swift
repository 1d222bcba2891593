import Foundation
import OpsAdapters
import OpsConsole
import OpsCore

/// A real `Mailbox` on a pipe, as the terminal's wake descriptor would be, and the actions the
/// runners posted into it, drained as the run loop drains them.
final class PostedActions: @unchecked Sendable {
    let mailbox: Mailbox
    private let readEnd: Int32
    private let writeEnd: Int32
    private(set) var actions: [Action] = []

    init() {
        var ends: [Int32] = [0, 0]
        pipe(&ends)
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        readEnd = ends[0]
        writeEnd = ends[1]
        mailbox = Mailbox(wakeFileDescriptor: writeEnd)
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Drains until `done` holds for what was posted, or a ceiling that only separates
    /// "happened" from "hung" passes; returns whether it held.
    @discardableResult
    func wait(ceiling: TimeInterval = 120, until done: ([Action]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(ceiling)
        while true {
            var buffer = [UInt8](repeating: 0, count: 256)
            while read(readEnd, &buffer, buffer.count) > 0 {}
            actions += mailbox.drain()
            if done(actions) {
                // What was posted before `done` came true, too.
                actions += mailbox.drain()
                return true
            }
            if Date() > deadline { return false }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    /// Waits for the first posted action `match` picks, and returns what it picked.
    func first<Value>(_ match: @escaping (Action) -> Value?) async -> Value? {
        await wait { actions in actions.contains { match($0) != nil } }
        return actions.lazy.compactMap(match).first
    }

    /// The first message posted, with its level.
    func firstMessage() async -> (text: String, level: MessageLevel)? {
        await first { action -> (text: String, level: MessageLevel)? in
            if case .message(let text, let level) = action { return (text, level) }
            return nil
        }
    }

    /// Everything `match` picks among the posted actions so far.
    func all<Value>(_ match: (Action) -> Value?) -> [Value] {
        actions.compactMap(match)
    }
}

/// The console's start-up in a folder of its own, with the given adapters.
struct ConsoleFixture {
    let posted = PostedActions()
    let context: ConsoleContext

    init(
        jobs: any ConsoleJobs = RecordedJobs(), pod: any PodControl = RecordedPod(),
        backups: any BackupScripts = RecordedBackupScripts(), settings: Settings = Settings(), readonly: Bool = false
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ops-console-\(UUID().uuidString)").path
        let paths = AppPaths.resolve(
            environment: ["HOME": folder, "XDG_CONFIG_HOME": folder + "/config", "XDG_STATE_HOME": folder + "/state"],
            bundledThemesDirectory: nil
        )
        var settings = settings
        settings.readonly = settings.readonly || readonly
        let startup = Startup(
            paths: paths, settingsStore: SettingsStore(settings), themeLoader: ThemeLoader(paths: paths), theme: .fallback,
            containerfilePath: nil, containerfileVariables: [], problems: []
        )
        context = ConsoleContext(
            startup: startup,
            adapters: ConsoleAdapters(jobs: jobs, pod: { _ in pod }, backups: { _ in backups }),
            mailbox: posted.mailbox
        )
    }
}
