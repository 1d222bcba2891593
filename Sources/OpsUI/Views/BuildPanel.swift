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

    /// `[opencode] falkordb valkey build  follow T`. Every source stays visible at every width:
    /// when narrow the other names shorten first, then the selected one.
    private static func drawTabs(into grid: inout Grid, x: Int, y: Int, width: Int, state: AppState, glyphs: Glyphs) {
        let build = state.build
        var flags = state.isFollowingNow ? "follow" : "paused"
        if build.showsTimestamps { flags += " T" }
        let names = tabNames(selected: build.source, width: width - flags.count - 1)
        var column = x
        for (source, name) in zip(LogSource.allCases, names) {
            column += grid.put(name, x: column, y: y, role: source == build.source ? .selection : .muted, maxWidth: x + width - column)
            column += grid.put(" ", x: column, y: y, role: .muted, maxWidth: x + width - column)
        }
        let flagX = x + width - flags.count
        if flagX > column { grid.put(flags, x: flagX, y: y, role: state.isFollowingNow ? .ok : .warn) }
    }

    /// The tab labels, the selected one in brackets, as long as `width` allows.
    static func tabNames(selected: LogSource, width: Int) -> [String] {
        let all = LogSource.allCases
        let short: (LogSource) -> String = { $0 == .build ? "build" : String($0.rawValue.prefix(4)) }
        let forms: [(LogSource) -> String] = [
            { $0.rawValue },
            { $0 == selected ? $0.rawValue : short($0) },
            short,
            { String($0.rawValue.prefix(1)) },
        ]
        var names: [String] = []
        for form in forms {
            names = all.map { $0 == selected ? "[\(form($0))]" : form($0) }
            if names.map(\.count).reduce(all.count - 1, +) <= width { break }
        }
        return names
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
