import Foundation
import OpsCore

/// Running and finished jobs (from every console and the CLI), and the audit log's recent
/// entries. j/k select a job; Enter opens its output, following it while it runs.
enum JobsOverlay {
    static func draw(into grid: inout Grid, state: AppState, scroll: Int, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "Jobs & activity (Enter shows output, Esc closes)", width: grid.width - 4,
            height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        let width = inner.width - 2
        let jobs = state.jobs.jobs
        var y = inner.y
        // Jobs take the top part, at most half the space while there is activity to show.
        let jobRows = max(1, state.jobs.audit.isEmpty ? inner.height - 1 : inner.height / 2 - 1)
        grid.put(Text.fit("Jobs", width: width, glyphs: glyphs), x: inner.x + 1, y: y, role: .title)
        y += 1
        if jobs.isEmpty {
            grid.put(Text.fit("no jobs yet: builds, rebuilds, backups and restores appear here", width: width, glyphs: glyphs), x: inner.x + 1, y: y, role: .muted)
            y += 1
        } else {
            let selected = min(max(0, scroll), jobs.count - 1)
            let first = max(0, selected - jobRows + 1)
            let rows = jobs.map { job -> [(text: String, role: StyleRole)] in
                let (symbol, word, role) = look(job.state, glyphs: glyphs)
                let result = job.state == .failed ? "\(word) (\(job.exitCode ?? -1))" : word
                return [("\(symbol) \(result)", role), (job.kind.rawValue, .text), (time(job.startedAt), .muted),
                        (job.startedBy, .muted), (job.id, .text)]
            }
            // Sized from every job, so the columns stay put while the selection moves. The id is
            // what `jobs attach` takes: it stays whole, and who started it goes first.
            let widths = ColumnLayout.widths((0..<5).map { column in
                let values = rows.map { $0[column].text }
                let natural = values.map(\.count).max() ?? 0
                return column == 3 ? TableColumn(natural: natural, minimum: 3, priority: 0)
                    : TableColumn(natural: natural, minimum: natural, fills: column == 4)
            }, width: width - 2, gap: 2)
            for (index, row) in rows.enumerated().dropFirst(first).prefix(jobRows) where y < inner.maxY {
                let isSelected = index == selected
                grid.put(isSelected ? glyphs.selectionMarker : " ", x: inner.x + 1, y: y, role: isSelected ? .selection : .text)
                ColumnLayout.drawRow(row, widths: widths, into: &grid, x: inner.x + 3, y: y, gap: 2, glyphs: glyphs)
                if isSelected { grid.restyle(Rect(x: inner.x + 1, y: y, width: width, height: 1), role: .selection) }
                y += 1
            }
        }
        guard y + 1 < inner.maxY, !state.jobs.audit.isEmpty else { return }
        y += 1
        grid.put(Text.fit("Activity (audit log, newest first)", width: width, glyphs: glyphs), x: inner.x + 1, y: y, role: .title)
        y += 1
        // Long entries wrap under their text rather than lose their result at the edge.
        let indent = time(Date(timeIntervalSince1970: 0)).count + 2
        for entry in state.jobs.audit.reversed() where y < inner.maxY {
            let line = "\(time(entry.time))  \(entry.who)  \(entry.action) \(entry.target): \(entry.result)"
            for piece in Text.wrapLine(Text.displayable(line, glyphs: glyphs), width: width, indent: indent) where y < inner.maxY {
                grid.put(piece, x: inner.x + 1, y: y, role: .text, maxWidth: width)
                y += 1
            }
        }
    }

    /// Symbol and word for every state: never colour alone.
    static func look(_ state: JobRunState, glyphs: Glyphs) -> (String, String, StyleRole) {
        switch state {
        case .running: return (glyphs.pending, "running", .pending)
        case .succeeded: return (glyphs.ok, "succeeded", .ok)
        case .failed: return (glyphs.fail, "failed", .fail)
        case .abandoned: return (glyphs.warn, "abandoned", .warn)
        }
    }

    /// UTC, so a screen reads the same wherever the console runs and goldens stay stable.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MM-dd HH:mm:ss"
        return formatter.string(from: date) + "Z"
    }
}
