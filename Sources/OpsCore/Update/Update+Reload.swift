extension AppState {
    /// An edit of config.yaml: applied at once where it can be, the rest named with what to do.
    /// A broken edit (any problem found) changes nothing and says where the problem is.
    mutating func reloadSettings(_ new: Settings, problems: [String]) -> [Effect] {
        guard problems.isEmpty else {
            messages.append(contentsOf: problems, level: .failure)
            messages.append("config.yaml not applied: the running settings are kept until the file reads cleanly", level: .failure)
            return []
        }
        let old = settings
        let change = SettingsChange(from: old, to: new)
        for (text, level) in change.messages { messages.append(text, level: level) }
        settings = SettingsChange.applied(new, over: old)
        if settings.keys != old.keys { keyMap = KeyMap(overrides: settings.keys) }
        return settings.theme != old.theme ? [.loadTheme(name: settings.theme)] : []
    }
}
