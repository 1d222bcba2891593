import Foundation
import OpsAdapters
import OpsCore

/// Watches config.yaml and the user's themes folder; an edit is read again and posted, so the
/// console runs with it (or says why it cannot) without a restart.
final class ConfigReloadRunner: @unchecked Sendable {
    let context: ConsoleContext
    private let lock = NSLock()
    private var watch: FileChangeWatch?

    init(context: ConsoleContext) {
        self.context = context
    }

    func start() {
        let paths = context.startup.paths
        let configFile = paths.configFile
        let themes = paths.userThemesDirectory
        let store = context.startup.settingsStore
        let post = context.post
        let started = FileChangeWatch(folders: [(configFile as NSString).deletingLastPathComponent, themes]) { changed in
            if changed.contains(configFile) {
                let (settings, diagnostics) = SettingsLoader.load(from: configFile, knownKeyActions: Set(Command.allCases.map(\.rawValue)))
                // The runners take the new settings only when the file read cleanly, as the state does.
                if diagnostics.isEmpty { store.replace(with: SettingsChange.applied(settings, over: store.current)) }
                post(.settingsReloaded(settings, problems: diagnostics.map(\.description)))
            }
            if changed.contains(where: { $0.hasPrefix(themes + "/") }) { post(.themeFilesChanged) }
        }
        lock.lock()
        watch = started
        lock.unlock()
    }

    func stop() {
        lock.lock()
        let running = watch
        watch = nil
        lock.unlock()
        running?.stop()
    }
}
