import OpsCore

/// The Backups panel: schedule and remote, a running job's progress, then the history.
enum BackupsPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        let backups = state.backups
        guard let target = backups.target else {
            var detail = "Backups run in the OpenCode container of pod \(state.settings.pod)."
            if case .absent(let reason) = backups.pod, !reason.isEmpty { detail = "\(reason). " + detail }
            EmptyState.draw(into: &grid, rect, headline: "\(glyphs.unknown) no pod running", detail: detail, glyphs: glyphs)
            return
        }
        guard rect.width > 4, rect.height > 0 else { return }
        let width = rect.width - 2
        var y = rect.y
        func line(_ text: String, role: StyleRole) {
            guard y < rect.maxY else { return }
            grid.put(Text.fit(Text.displayable(text, glyphs: glyphs), width: width, glyphs: glyphs), x: rect.x + 1, y: y, role: role)
            y += 1
        }
        line(scheduleText(backups), role: backups.scheduleProblem == nil ? .muted : .warn)
        line("remote " + (backups.remote ?? "(asking \(target.container))"), role: .muted)
        if let active = backups.active {
            line("\(glyphs.pending) backup \(BackupFormat.progressLine(active))", role: .pending)
            if y < rect.maxY {
                drawBar(into: &grid, x: rect.x + 1, y: y, width: width, fraction: active.progress?.fraction, glyphs: glyphs)
                y += 1
            }
        } else if backups.isTriggering {
            line("\(glyphs.pending) starting a backup", role: .pending)
        }
        if let restoring = backups.restoring {
            let phase = backups.restoreRecord.map(BackupFormat.progressLine) ?? "starting"
            line("\(glyphs.pending) restore \(restoring) \(phase)", role: .pending)
            if let note = backups.restoreNote { line("  " + note, role: .muted) }
        }
        if let problem = backups.listingError {
            line("\(glyphs.warn) remote listing failed: \(problem)", role: .warn)
        }
        guard backups.isLoaded else {
            line("reading the history", role: .muted)
            return
        }
        let filter = state.position(of: .backups).filter
        let rows = backups.visibleRows(filter: filter)
        if rows.isEmpty {
            if backups.rows.isEmpty {
                line("no backups yet", role: .muted)
                line("Press B to run one.", role: .muted)
            } else {
                line("no match for the filter", role: .muted)
            }
            return
        }
        let height = rect.maxY - y
        guard height > 0 else { return }
        let selection = min(max(0, state.position(of: .backups).selection), rows.count - 1)
        let offset = max(0, min(selection - height + 1, rows.count - height))
        let focused = state.focus == .backups
        for (index, row) in rows.enumerated().dropFirst(offset).prefix(height) {
            let (symbol, role) = mark(row.status, glyphs: glyphs)
            grid.put(Text.pad(rowText(row, symbol: symbol, width: width), width: width, glyphs: glyphs), x: rect.x + 1, y: y, role: role)
            if focused && index == selection {
                grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: .selection)
            }
            y += 1
        }
    }

    /// The shared bar with the percentage in figures beside it: the amount never rests on shading.
    static func drawBar(into grid: inout Grid, x: Int, y: Int, width: Int, fraction: Double?, glyphs: Glyphs) {
        let label = fraction.map { "\(Int(($0 * 100).rounded(.down)))%" } ?? "?"
        let barWidth = max(0, width - 5)
        ProgressBar.draw(into: &grid, x: x, y: y, width: barWidth, fraction: fraction, glyphs: glyphs, role: .pending)
        grid.put(String(repeating: " ", count: max(0, 4 - label.count)) + label, x: x + barWidth + 1, y: y, role: .pending)
    }

    static func scheduleText(_ backups: BackupsState) -> String {
        if let problem = backups.scheduleProblem { return problem }
        guard let schedule = backups.schedule else { return "schedule none (manual backups only)" }
        return "schedule \(schedule)" + (backups.nextRun.map { ", next \(BackupFormat.shortTime($0))" } ?? "")
    }

    /// `● 11-27 02:00 verified    200.0 MB sched`
    static func rowText(_ row: BackupHistoryRow, symbol: String, width: Int) -> String {
        let word = row.kind == .restore ? "\(row.statusWord) \(row.backupID ?? "")" : row.statusWord
        var text = "\(symbol) \(BackupFormat.shortTime(row.startedAt)) " + padded(word, 14)
        if row.kind == .backup {
            let size = row.bytes.map(BackupFormat.bytes) ?? ""
            text += String(repeating: " ", count: max(0, 9 - size.count)) + size
            if row.trigger == "scheduled", text.count + 6 <= width { text += " sched" }
        }
        return text
    }

    static func mark(_ status: BackupHistoryRow.Status, glyphs: Glyphs) -> (String, StyleRole) {
        switch status {
        case .running: (glyphs.pending, .pending)
        case .verified, .restored: (glyphs.ok, .ok)
        case .notListed, .incomplete, .missingArchive: (glyphs.warn, .warn)
        case .failed, .restoreFailed: (glyphs.fail, .fail)
        }
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
