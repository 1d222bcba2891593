import OpsCore

/// The Build panel: builds and container logs.
enum BuildPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        EmptyState.draw(
            into: &grid, rect, headline: "no builds yet",
            detail: "Image builds and container logs appear here.", glyphs: glyphs
        )
    }
}
