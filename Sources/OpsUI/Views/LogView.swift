import OpsCore

/// The selected source's lines, ending at the selected line (the newest while following),
/// with the `/` filter applied and timestamps when `T` turned them on.
enum LogView {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        guard rect.width > 0, rect.height > 0 else { return }
        let build = state.build
        let entries = build.entries
        let position = state.position(of: .build)
        guard !entries.isEmpty else {
            for (row, line) in Text.wrap(emptyText(state: state, glyphs: glyphs), width: rect.width).prefix(rect.height).enumerated() {
                grid.put(Text.displayable(line, glyphs: glyphs), x: rect.x, y: rect.y + row, role: .muted)
            }
            return
        }
        let matching = entries.indices.filter { entries[$0].matches(position.filter) }
        guard !matching.isEmpty else {
            grid.put(Text.fit("no lines match /\(position.filter)", width: rect.width, glyphs: glyphs), x: rect.x, y: rect.y, role: .muted)
            return
        }
        let selection = min(position.selection, entries.count - 1)
        let bottom = matching.lastIndex { $0 <= selection } ?? 0
        let first = max(0, bottom - rect.height + 1)
        let paused = !state.isFollowingNow
        for (row, index) in matching[first...bottom].enumerated() {
            let entry = entries[index]
            var text = entry.text
            if build.showsTimestamps && !entry.stamp.isEmpty { text = entry.stamp + " " + text }
            let role: StyleRole = paused && index == matching[bottom] ? .selection : entry.isError ? .fail : entry.isNote ? .info : .text
            grid.put(Text.pad(Text.displayable(text, glyphs: glyphs), width: rect.width, glyphs: glyphs),
                     x: rect.x, y: rect.y + row, role: role)
        }
    }

    private static func emptyText(state: AppState, glyphs: Glyphs) -> String {
        let build = state.build
        guard let role = build.source.role else {
            let hint = state.settings.readonly ? "read-only: builds are refused" : "b rebuilds and replaces OpenCode"
            return build.history.isEmpty ? "no builds yet: \(hint)"
                : "no build output in this session; Enter shows the build history"
        }
        if state.pod.presence == .loading {
            return "\(glyphs.pending) checking pod \(state.settings.pod)"
        }
        guard state.pod.isUp, let container = state.pod.container(role) else {
            let hint = state.settings.readonly ? "read-only" : "u brings it up"
            return "\(glyphs.unknown) no \(role.rawValue) container: pod \(state.settings.pod) is not up (\(hint))"
        }
        guard container.state == .running else {
            return "\(glyphs.fail) \(container.name) is \(container.state.text)"
        }
        return "\(glyphs.pending) waiting for \(container.name) log lines"
    }
}
