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
            for (index, job) in jobs.enumerated().dropFirst(first).prefix(jobRows) where y < inner.maxY {
                let isSelected = index == selected
                let marker = isSelected ? glyphs.selectionMarker : " "
                let (symbol, word, role) = look(job.state, glyphs: glyphs)
                let result = job.state == .failed ? "\(word) (\(job.exitCode ?? -1))" : word
                let line = "\(marker) \(symbol) \(Text.pad(result, width: 14, glyphs: glyphs)) \(Text.pad(job.kind.rawValue, width: 8, glyphs: glyphs)) \(time(job.startedAt))  \(job.startedBy)  \(job.id)"
                let text = Text.fit(Text.displayable(line, glyphs: glyphs), width: width, glyphs: glyphs)
                grid.put(text, x: inner.x + 1, y: y, role: isSelected ? .selection : role)
                y += 1
            }
        }
        guard y + 1 < inner.maxY, !state.jobs.audit.isEmpty else { return }
        y += 1
        grid.put(Text.fit("Activity (audit log, newest first)", width: width, glyphs: glyphs), x: inner.x + 1, y: y, role: .title)
        y += 1
        for entry in state.jobs.audit.reversed() where y < inner.maxY {
                        let line = "\(time(entry.time))  \(entry.who)  \(entry.action) \(entry.target): \(entry.result)"
            grid.put(Text.fit(Text.displayable(line, glyphs: glyphs), width: width, glyphs: glyphs), x: inner.x + 1, y: y, role: .text)
            y += 1
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
