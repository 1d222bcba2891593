import OpsCore

/// The whole screen for a state: header, panels, footer and any overlay on top.
public enum MainView {
    public static func render(_ state: AppState) -> Grid {
        var grid = Grid(width: state.width, height: state.height)
        let glyphs = Glyphs.forMode(state.glyphs)
        if Layout.isTooSmall(width: state.width, height: state.height) {
            TooSmallView.draw(into: &grid, glyphs: glyphs)
            return grid
        }
        let layout = Layout(width: state.width, height: state.height, focus: state.focus)
        HeaderBar.draw(into: &grid, layout.header, state: state, glyphs: glyphs)
        if let tabs = layout.tabs {
            TabStrip.draw(into: &grid, tabs, focus: state.focus)
        }
        for (panel, rect) in layout.panels {
            let focused = panel == state.focus
            let inner = Box.draw(
                into: &grid, rect, title: PanelTitle.text(for: panel, state: state),
                focused: focused, glyphs: glyphs
            )
            switch panel {
            case .health: HealthPanel.draw(into: &grid, inner, state: state, glyphs: glyphs)
            case .environment: EnvironmentPanel.draw(into: &grid, inner, state: state, focused: focused, glyphs: glyphs)
            case .backups: BackupsPanel.draw(into: &grid, inner, state: state, glyphs: glyphs)
            case .build: BuildPanel.draw(into: &grid, inner, state: state, glyphs: glyphs)
            }
        }
        FooterBar.draw(into: &grid, layout.footer, state: state, glyphs: glyphs)
        switch state.overlay {
        case .help(let scroll)?: HelpOverlay.draw(into: &grid, state: state, scroll: scroll, glyphs: glyphs)
        case .palette(let palette)?: PaletteOverlay.draw(into: &grid, state: state, palette: palette, glyphs: glyphs)
        case .messages(let scrollBack)?: MessagesOverlay.draw(into: &grid, state: state, scrollBack: scrollBack, glyphs: glyphs)
        case .confirm(let confirmation)?: ConfirmOverlay.draw(into: &grid, state: state, confirmation: confirmation, glyphs: glyphs)
        case .page(let page)?: PageOverlay.draw(into: &grid, page: PageWording.current(page, in: state), glyphs: glyphs)
        case .jobs(let scroll)?: JobsOverlay.draw(into: &grid, state: state, scroll: scroll, glyphs: glyphs)
        case .images(let scroll)?: ImagesOverlay.draw(into: &grid, state: state, scroll: scroll, glyphs: glyphs)
        case .stats(let scroll)?: StatsOverlay.draw(into: &grid, state: state, scroll: scroll, glyphs: glyphs)
        case .firstRun?: FirstRunOverlay.draw(into: &grid, state: state, glyphs: glyphs)
        case nil: break
        }
        return grid
    }
}

/// A panel's title: number key, name, and the filter when one is set.
enum PanelTitle {
    static func text(for panel: Panel, state: AppState) -> String {
        let filter = state.position(of: panel).filter
        let editing = state.isEditingFilter && panel == state.focus
        let suffix = filter.isEmpty && !editing ? "" : " /\(filter)"
        return "\(panel.number) \(panel.title)\(suffix)"
    }
}
