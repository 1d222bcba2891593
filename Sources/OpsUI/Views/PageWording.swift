import OpsCore

/// Words the pages that hold data. The view draws them from the state at each frame, so an
/// open page follows it; the loop hands the same lines to the core (`.pageWorded`) when they
/// change, so search and scrolling go by what is on screen.
public enum PageWording {
    /// The lines of `content` now; nil for a page of text, whose lines are its data.
    public static func lines(for content: PageContent, in state: AppState) -> [String]? {
        switch content {
        case .text: return nil
        case .buildHistory: return BuildHistoryPage.lines(state.build.history)
        case .probe(let id): return ProbePage.lines(for: id, in: state.health, now: state.healthNow)
        case .environment(let name): return environmentLines(state.environment.first { $0.name == name })
        case .backup(let id): return backupLines(state.backups.rows.first { $0.id == id }, podUp: state.backups.target != nil)
        }
    }

    static func environmentLines(_ entry: EnvironmentEntry?) -> [String] {
        guard let entry else { return ["not in the environment any more (the settings were reloaded)"] }
        var lines = ["value:  \(entry.value)", "source: \(entry.source.rawValue)"]
        if !entry.note.isEmpty { lines.append("note:   \(entry.note)") }
        return lines
    }

    static func backupLines(_ row: BackupHistoryRow?, podUp: Bool) -> [String] {
        guard let row else { return ["not listed any more"] }
        let lines = ["id:      \(row.id)", "time:    \(BackupFormat.rowTime(row.startedAt)) UTC", "state:   \(row.statusWord)",
                     "trigger: \(row.triggerWord ?? "unknown")", "size:    \(row.bytes.map(BackupFormat.bytes) ?? "unknown")"]
        return lines + [podUp
            ? "No run record here: this backup was made by another host or its record was pruned."
            : "The pod is down: its run log is read from the OpenCode container once it is up (u)."]
    }

    /// The action that brings the open page's lines up to date, or nil when they are.
    public static func news(for state: AppState) -> Action? {
        guard case .page(let page)? = state.overlay, let lines = lines(for: page.content, in: state), lines != page.lines
        else { return nil }
        return .pageWorded(lines)
    }

    /// `page` as it reads now.
    static func current(_ page: TextPage, in state: AppState) -> TextPage {
        guard let lines = lines(for: page.content, in: state) else { return page }
        var page = page
        page.lines = lines
        page.scroll = min(page.scroll, max(0, lines.count - 1))
        return page
    }
}
