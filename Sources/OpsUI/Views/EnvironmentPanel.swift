import OpsCore

/// Variables and settings in three columns: name, value (secrets masked), source; required values
/// that are missing and values waiting for a restart are flagged with symbol and word.
enum EnvironmentPanel {
    /// A screen line of the panel: an entry, or the heading before the console's settings.
    enum Line {
        case entry(index: Int, EnvironmentEntry)
        case heading(String)
    }

    static func lines(_ entries: [EnvironmentEntry]) -> [Line] {
        var lines: [Line] = []
        for (index, entry) in entries.enumerated() {
            if entry.kind == .setting, index == 0 || entries[index - 1].kind != .setting {
                lines.append(.heading("console settings"))
            }
            lines.append(.entry(index: index, entry))
        }
        return lines
    }

    /// Where the defaults came from, whether drift could be checked, and what needs attention.
    static func header(_ state: AppState) -> String {
        var parts: [String] = []
        switch state.health.environmentOrigin {
        case .image(let reference):
            parts.append("defaults from image \(reference)")
        case .containerfile:
            parts.append(state.containerfilePath.map { "defaults from \($0)" }
                         ?? "no Containerfile found (set build_context)")
        }
        let variables = state.environment.filter { $0.kind == .variable }
        let drift = variables.filter(\.needsRestart).count
        let missing = variables.filter(\.isMissingRequired).count
        if drift > 0 {
            let key = state.keyMap.keys(for: .apply).first.map { "\($0.label) applies" } ?? ":apply applies"
            parts.append("\(drift) changed: \(key)")
        }
        if missing > 0 { parts.append("\(missing) required missing") }
        switch state.health.containerRunning {
        case true?: parts.append("compared with the running container")
        case false?: parts.append("no container: drift not checked")
        case nil: break
        }
        return parts.joined(separator: "; ")
    }

    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, focused: Bool, glyphs: Glyphs) {
        guard rect.width > 4, rect.height > 1 else { return }
        grid.put(Text.fit(Text.displayable(header(state), glyphs: glyphs), width: rect.width - 2, glyphs: glyphs),
                 x: rect.x + 1, y: rect.y, role: .muted)
        // Features a missing value switches off, on a line of their own under the header.
        let gaps = state.environment.isEmpty ? [] : FeatureGaps.gaps(state.environment, settings: state.settings)
        var top = rect.y + 1
        if !gaps.isEmpty, rect.height > 3 {
            var x = rect.x + 1
            for (index, gap) in gaps.enumerated() where x < rect.maxX - 1 {
                let text = (index == 0 ? "" : "; ") + "\(gap.isSevere ? glyphs.fail : glyphs.warn) \(gap.text)"
                x += grid.put(Text.fit(text, width: rect.maxX - 1 - x, glyphs: glyphs), x: x, y: top, role: gap.isSevere ? .fail : .warn)
            }
            top += 1
        }
        let entries = state.visibleEnvironment
        let body = Rect(x: rect.x, y: top, width: rect.width, height: rect.maxY - top)
        if entries.isEmpty {
            let text = state.environment.isEmpty ? "nothing to show" : "no match for the filter"
            grid.put(text, x: body.x + 1, y: body.y, role: .muted)
            return
        }
        let nameWidth = min(max(8, entries.map(\.name.count).max() ?? 8), body.width * 2 / 5)
        let sourceWidth = body.width >= 56 ? 13 : (body.width >= 30 ? 9 : 0)
        let valueWidth = max(1, body.width - nameWidth - sourceWidth - 4)
        let selection = state.position(of: .environment).selection
        let allLines = lines(entries)
        let selectedLine = allLines.firstIndex {
            if case .entry(let index, _) = $0 { return index == selection }
            return false
        } ?? 0
        let offset = max(0, min(selectedLine - body.height + 1, allLines.count - body.height))
        for (row, line) in allLines.dropFirst(offset).prefix(body.height).enumerated() {
            let y = body.y + row
            switch line {
            case .heading(let title):
                grid.put(Text.fit(title.uppercased(), width: body.width - 2, glyphs: glyphs), x: body.x + 1, y: y, role: .title)
            case .entry(let index, let entry):
                drawEntry(entry, into: &grid, x: body.x + 1, y: y,
                          widths: (nameWidth, valueWidth, sourceWidth), glyphs: glyphs)
                if focused && index == selection {
                    grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection)
                }
            }
        }
    }

    static func drawEntry(
        _ entry: EnvironmentEntry, into grid: inout Grid, x: Int, y: Int,
        widths: (name: Int, value: Int, source: Int), glyphs: Glyphs
    ) {
        grid.put(Text.pad(entry.name, width: widths.name, glyphs: glyphs), x: x, y: y, role: .text)
        let value: String
        let valueRole: StyleRole
        if entry.isMissingRequired {
            value = "\(glyphs.fail) missing"
            valueRole = .fail
        } else if entry.isSecret {
            value = "\(glyphs.mask) \(entry.value)"
            valueRole = entry.value == "missing" ? .warn : .ok
        } else {
            value = Text.displayable(entry.value, glyphs: glyphs)
            valueRole = entry.source == .unset ? .muted : .text
        }
        grid.put(Text.pad(value, width: widths.value, glyphs: glyphs), x: x + widths.name + 1, y: y, role: valueRole)
        guard widths.source > 0 else { return }
        let sourceX = x + widths.name + widths.value + 2
        if entry.isMissingRequired {
            grid.put(Text.fit("required", width: widths.source, glyphs: glyphs), x: sourceX, y: y, role: .fail)
        } else if entry.needsRestart {
            // Drift matters more than the source: say it where the source would be.
            let text = "\(glyphs.warn) apply"
            grid.put(Text.fit(text, width: widths.source, glyphs: glyphs), x: sourceX, y: y, role: .warn)
        } else {
            let source = widths.source >= 13 ? entry.source.rawValue : entry.source.shortName
            grid.put(Text.fit(source, width: widths.source, glyphs: glyphs), x: sourceX, y: y, role: .muted)
        }
    }
}
