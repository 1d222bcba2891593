import OpsCore

/// Running and finished jobs, and the audit log.
enum JobsOverlay {
    static func draw(into grid: inout Grid, state: AppState, scroll: Int, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "Jobs (Esc closes)", width: grid.width - 4, height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        grid.put("no jobs yet", x: inner.x + 1, y: inner.y, role: .muted)
    }
}
