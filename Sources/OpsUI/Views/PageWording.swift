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
        }
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
