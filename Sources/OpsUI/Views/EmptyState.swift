import OpsCore

/// The honest "nothing here yet" text of a panel that has no data.
enum EmptyState {
    static func draw(into grid: inout Grid, _ rect: Rect, headline: String, detail: String, glyphs: Glyphs) {
        guard rect.width > 2, rect.height > 0 else { return }
        grid.put(Text.fit(headline, width: rect.width - 2, glyphs: glyphs), x: rect.x + 1, y: rect.y, role: .muted)
        for (offset, line) in Text.wrap(detail, width: rect.width - 2).enumerated() where offset + 1 < rect.height {
            grid.put(line, x: rect.x + 1, y: rect.y + 1 + offset, role: .muted)
        }
    }
}

enum HealthPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        EmptyState.draw(
            into: &grid, rect, headline: "\(glyphs.unknown) no pod running",
            detail: "Probes start when the pod \(state.settings.pod) is up.", glyphs: glyphs
        )
    }
}

enum BackupsPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        EmptyState.draw(
            into: &grid, rect, headline: "no backups yet",
            detail: "Backup runs and their history appear here.", glyphs: glyphs
        )
    }
}

enum BuildPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        EmptyState.draw(
            into: &grid, rect, headline: "no builds yet",
            detail: "Image builds and container logs appear here.", glyphs: glyphs
        )
    }
}
