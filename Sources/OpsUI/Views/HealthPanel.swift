import OpsCore

/// The Health panel: one line per probe.
enum HealthPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        EmptyState.draw(
            into: &grid, rect, headline: "\(glyphs.unknown) no pod running",
            detail: "Probes start when the pod \(state.settings.pod) is up.", glyphs: glyphs
        )
    }
}
