import Foundation
import OpsAdapters
import OpsCore

/// Watches config.yaml and the user's themes folder; an edit is read again and posted, so the
/// console runs with it (or says why it cannot) without a restart.
public final class ConfigReloadRunner: Sendable {
    let context: ConsoleContext
    private let watch = TaskHolder()

    public init(context: ConsoleContext) {
        self.context = context
    }

    /// Starts the watch (`Effect.watchConfig`, which `update` returns as the console opens).
    public func watchConfig() {
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
        watch.replace("config", with: { started?.stop() })
    }

    public func stop() {
        watch.cancelAll()
    }
}
