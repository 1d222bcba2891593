import OpsCore

/// The Backups panel: backup runs and their progress.
enum BackupsPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        EmptyState.draw(
            into: &grid, rect, headline: "no backups yet",
            detail: "Backup runs and their history appear here.", glyphs: glyphs
        )
    }
}
