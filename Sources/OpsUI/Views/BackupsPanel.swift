import OpsCore

/// The Backups panel: schedule and remote, a running job's progress, then the history.
enum BackupsPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        let backups = state.backups
        if backups.target == nil, backups.pod == .unknown {
            // Before the first snapshot nothing is known: no "no pod" yet.
            EmptyState.draw(into: &grid, rect, headline: "\(glyphs.pending) checking pod \(state.settings.pod)",
                            detail: "Backups run in the OpenCode container of the pod.", glyphs: glyphs)
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
        func freshnessLines() {
            // With nothing tried yet the history says "no backups yet" already.
            guard let now = state.now, let freshness = backups.freshness(now: now), freshness.verdict != .never(attempted: false) else { return }
            let (symbol, role) = mark(freshness, glyphs: glyphs)
            line("\(symbol) \(freshness.line)", role: role)
            if let drill = freshness.drill, let text = freshness.drillLine {
                line("\(drill.passed ? glyphs.ok : glyphs.fail) \(text)", role: drill.passed ? .ok : .fail)
            }
        }
        if let target = backups.target {
            line(scheduleText(backups), role: backups.scheduleProblem == nil ? .muted : .warn)
            freshnessLines()
            line("to " + (backups.remote.map(remoteText) ?? "(asking \(target.container))"), role: .muted)
        } else {
            // The pod is down: the listing comes from a one-off container or the cache.
            line("\(glyphs.unknown) pod down; restore needs it up (u)", role: .warn)
            freshnessLines()
            line(offlineText(backups, state: state), role: .muted)
            if let problem = backups.offlineProblem { line("\(glyphs.warn) one-off listing failed: \(problem)", role: .warn) }
            if let remote = backups.remote { line("to " + remoteText(remote), role: .muted) }
        }
        for warning in backups.remoteWarnings { line("\(glyphs.warn) \(warning)", role: .warn) }
        if let active = backups.active {
            line("\(glyphs.pending) \(activeText(active))", role: .pending)
            if y < rect.maxY {
                drawBar(into: &grid, x: rect.x + 1, y: y, width: width, progress: active.progress, glyphs: glyphs)
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
        if let verifying = backups.verifying {
            line("\(glyphs.pending) verify \(BackupFormat.shortID(verifying)) \(backups.verifyNote ?? "starting")", role: .pending)
        }
        // Once a scheduled drill ran, the freshness lines show it with its age; until then this
        // says so, with the last manual verify.
        if backups.listing != nil, backups.drill != nil, backups.lastDrill == nil {
            let shown = backups.drill?.last ?? backups.drill?.lastVerify
            let failed = shown.map { !$0.passed } ?? false
            line((failed ? "\(glyphs.fail) " : "") + BackupFormat.drillLine(backups.drill), role: failed ? .fail : .muted)
        }
        if let problem = backups.listingError {
            line("\(glyphs.warn) remote listing failed: \(problem)", role: .warn)
        }
        guard backups.isLoaded else {
            if backups.target != nil { line("reading the history", role: .muted) }
            return
        }
        let filter = state.position(of: .backups).filter
        let rows = backups.visibleRows(filter: filter)
        if rows.isEmpty {
            if backups.rows.isEmpty {
                line("no backups yet", role: .muted)
                if backups.target == nil {
                    // Nothing to press while the pod is down.
                } else if state.settings.readonly {
                    line("read-only: B (backup now) is off", role: .muted)
                } else {
                    line("Press B to run one.", role: .muted)
                }
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

    /// The shared bar with the percentage and ETA in figures beside it: the amount never rests
    /// on shading.
    static func drawBar(into grid: inout Grid, x: Int, y: Int, width: Int, progress: BackupProgress?, glyphs: Glyphs) {
        let fraction = progress?.fraction
        var label = fraction.map { "\(Int(($0 * 100).rounded(.down)))%" } ?? "?"
        if let eta = progress?.eta { label += " ETA \(BackupFormat.duration(eta))" }
        let barWidth = max(0, width - label.count - 1)
        ProgressBar.draw(into: &grid, x: x, y: y, width: barWidth, fraction: fraction, glyphs: glyphs, role: .pending)
        grid.put(label, x: x + barWidth + 1, y: y, role: .pending)
    }

    /// `upload 90.0 MB/200.0 MB 12.0 MB/s`: phase, bytes, rate.
    static func activeText(_ record: BackupRunRecord) -> String {
        var parts = ["backup", record.phase]
        if let progress = record.progress {
            if let total = progress.total, total > 0 {
                parts.append("\(BackupFormat.bytes(progress.bytes))/\(BackupFormat.bytes(total))")
            } else if progress.bytes > 0 {
                parts.append(BackupFormat.bytes(progress.bytes))
            }
            if let rate = progress.rate, rate > 0 { parts.append(BackupFormat.rate(rate)) }
        }
        if parts.count > 3 { parts.removeFirst() }
        return parts.joined(separator: " ")
    }

    /// The remote's kind, bucket and prefix; the script's masked key id is left out too.
    static func remoteText(_ remote: String) -> String {
        guard let range = remote.range(of: " (key ") else { return remote }
        return String(remote[..<range.lowerBound])
    }

    /// Where the listing shown while the pod is down came from, with its age.
    static func offlineText(_ backups: BackupsState, state: AppState) -> String {
        switch backups.offlineSource {
        case .oneOff(let at)?:
            return "one-off listing at \(BackupFormat.shortTime(at))"
        case .cache(let saved)?:
            let age = state.now.map { "\(BackupFormat.duration(Int($0.timeIntervalSince(saved)))) ago" } ?? "earlier"
            return backups.isListingOffline ? "cached \(age); listing again" : "cached \(age) (\(BackupFormat.shortTime(saved)))"
        case nil:
            return backups.isListingOffline ? "listing with a one-off container" : "no cached listing"
        }
    }

    static func scheduleText(_ backups: BackupsState) -> String {
        if let problem = backups.scheduleProblem { return problem }
        guard let schedule = backups.schedule else { return "no schedule: manual backups only" }
        guard let next = backups.nextRun else { return "schedule \(schedule)" }
        return "next \(BackupFormat.shortTime(next)) (\(schedule))"
    }

    /// `● 1a2b 11-27 02:00:05 verified md5  scheduled  200.0 MB`: short id, time to the second,
    /// state with its verification level, trigger, size. The trailing columns go, last first,
    /// when the width has no room for them.
    static func rowText(_ row: BackupHistoryRow, symbol: String, width: Int) -> String {
        var state = row.statusWord
        if row.kind != .backup, let backup = row.backupID { state += " " + BackupFormat.shortID(backup) }
        var text = "\(symbol) \(row.shortID) \(BackupFormat.rowTime(row.startedAt)) " + padded(state, 14)
        var optional: [String] = []
        if let trigger = row.triggerWord { optional.append(padded(trigger, 9)) }
        if row.kind == .backup, let bytes = row.bytes {
            let size = BackupFormat.bytes(bytes)
            optional.append(String(repeating: " ", count: max(0, 8 - size.count)) + size)
        }
        for column in optional {
            let trimmed = column.reversed().drop { $0 == " " }.count
            guard text.count + trimmed <= width else { break }
            text += column
        }
        while text.count > width, text.last == " " { text.removeLast() }
        return text
    }

    /// Fresh is ok, stale (or only failures) a failure, no backup yet a warning.
    static func mark(_ freshness: BackupFreshness, glyphs: Glyphs) -> (String, StyleRole) {
        if freshness.isFailure { return (glyphs.fail, .fail) }
        return freshness.verdict == .fresh ? (glyphs.ok, .ok) : (glyphs.warn, .warn)
    }

    static func mark(_ status: BackupHistoryRow.Status, glyphs: Glyphs) -> (String, StyleRole) {
        switch status {
        case .running: (glyphs.pending, .pending)
        case .verified, .restored, .checked: (glyphs.ok, .ok)
        case .notListed, .incomplete, .missingArchive: (glyphs.warn, .warn)
        case .failed, .restoreFailed, .checkFailed: (glyphs.fail, .fail)
        }
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
