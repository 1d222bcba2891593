extension AppState {
    /// `S`: asks the runner to save the selected source's log, filtered as the panel is.
    mutating func saveLog() -> [Effect] {
        let filter = position(of: .build).filter
        let source = build.source
        guard let role = source.role else {
            let lines = build.entries.filter { $0.matches(filter) }.map { $0.stamp.isEmpty ? $0.text : "\($0.stamp) \($0.text)" }
            guard !lines.isEmpty else {
                messages.append("no build output to save", level: .warning)
                return []
            }
            return [.saveLog(LogSaveRequest(source: source, container: nil, filter: filter, lines: lines, pod: settings.pod))]
        }
        guard let container = pod.container(role) else {
            messages.append("no \(source.rawValue) container: its log cannot be saved", level: .warning)
            return []
        }
        return [.saveLog(LogSaveRequest(source: source, container: container.id, filter: filter, lines: [], pod: settings.pod))]
    }
}
