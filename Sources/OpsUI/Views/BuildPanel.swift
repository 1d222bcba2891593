import OpsCore

/// The Build & Logs panel: the log source tabs, the running build's progress or the last
/// result, and the selected source's lines (filtered by `/`).
enum BuildPanel {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        guard rect.width > 2, rect.height > 0 else { return }
        let x = rect.x + 1
        let width = rect.width - 2
        var y = rect.y
        drawTabs(into: &grid, x: x, y: y, width: width, state: state, glyphs: glyphs)
        y += 1
        for (text, role) in BuildStatusLines.lines(state: state, width: width, glyphs: glyphs) where y < rect.maxY {
            grid.put(Text.fit(Text.displayable(text, glyphs: glyphs), width: width, glyphs: glyphs), x: x, y: y, role: role)
            y += 1
        }
        guard y < rect.maxY else { return }
        LogView.draw(into: &grid, Rect(x: x, y: y, width: width, height: rect.maxY - y), state: state, glyphs: glyphs)
    }

    /// `[opencode] falkordb valkey build  follow T`; only the selected source when narrow.
    private static func drawTabs(into grid: inout Grid, x: Int, y: Int, width: Int, state: AppState, glyphs: Glyphs) {
        let build = state.build
        var flags = state.isFollowingNow ? "follow" : "paused"
        if build.showsTimestamps { flags += " T" }
        let names = LogSource.allCases.map { $0 == build.source ? "[\($0.rawValue)]" : $0.rawValue }
        var tabs = names.joined(separator: " ")
        if tabs.count + 1 + flags.count > width {
            tabs = "[\(build.source.rawValue)] c:next"
        }
        var column = x
        for (index, source) in LogSource.allCases.enumerated() where tabs.hasPrefix("[") && tabs.contains(" c:next") == false {
            let name = names[index]
            column += grid.put(name, x: column, y: y, role: source == build.source ? .selection : .muted, maxWidth: x + width - column)
            column += grid.put(" ", x: column, y: y, role: .muted, maxWidth: x + width - column)
        }
        if tabs.contains(" c:next") {
            column += grid.put(Text.fit(tabs, width: width, glyphs: glyphs), x: column, y: y, role: .selection, maxWidth: width)
        }
        let flagX = x + width - flags.count
        if flagX > column { grid.put(flags, x: flagX, y: y, role: state.isFollowingNow ? .ok : .warn) }
    }
}

/// The status rows under the tabs: progress of a running build, a pod operation, the rollback
/// offer, or the last result.
enum BuildStatusLines {
    static func lines(state: AppState, width: Int, glyphs: Glyphs) -> [(String, StyleRole)] {
        var lines: [(String, StyleRole)] = []
        if let run = state.build.run {
            let clock = BuildClock.stamp(run.elapsed)
            if let progress = run.progress {
                let head = "\(glyphs.pending) \(run.kind.rawValue) STEP \(progress.step)/\(progress.total) "
                let barWidth = max(0, min(20, width - head.count - clock.count - 1))
                let bar = ProgressBar.text(fraction: run.isPastBuild ? 1 : progress.fraction, width: barWidth, glyphs: glyphs)
                lines.append((head + bar + " " + clock, .pending))
            } else {
                lines.append(("\(glyphs.pending) \(run.kind.rawValue) \(clock)", .pending))
            }
            if run.isCancelling {
                lines.append(("\(glyphs.warn) cancelling: stopping podman build", .warn))
            } else if run.phase == "building", let progress = run.progress {
                lines.append((progress.instruction, .text))
            } else {
                lines.append((run.phase, .text))
            }
        } else if let operation = state.pod.operation {
            lines.append(("\(glyphs.pending) \(operation.rawValue) pod \(state.settings.pod)", .pending))
        }
        if let offer = state.pod.rollbackOffer, state.build.run == nil {
            lines.append(("\(glyphs.fail) \(offer.container) not healthy: rollback with : rollback", .fail))
        } else if let result = state.build.lastResult, state.build.run == nil, state.pod.operation == nil {
            if result.isEarlier {
                lines.append(("before this console: \(result.text) (Esc hides)", .muted))
                return lines
            }
            switch result.status {
            case .ok: lines.append(("\(glyphs.ok) \(result.text)", .ok))
            case .warn: lines.append(("\(glyphs.warn) \(result.text)", .warn))
            case .fail: lines.append(("\(glyphs.fail) \(result.text)", .fail))
            }
        }
        return lines
    }
}
