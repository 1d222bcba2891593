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
        let selection = state.position(of: .environment).selection
        let allLines = lines(entries)
        let selectedLine = allLines.firstIndex {
            if case .entry(let index, _) = $0 { return index == selection }
            return false
        } ?? 0
        let offset = max(0, min(selectedLine - body.height + 1, allLines.count - body.height))
        let shown = allLines.dropFirst(offset).prefix(body.height)
        let columns = columnWidths(shown.compactMap { if case .entry(_, let entry) = $0 { entry } else { nil } },
                                   width: body.width - 2, glyphs: glyphs)
        for (row, line) in shown.enumerated() {
            let y = body.y + row
            switch line {
            case .heading(let title):
                grid.put(Text.fit(title.uppercased(), width: body.width - 2, glyphs: glyphs), x: body.x + 1, y: y, role: .title)
            case .entry(let index, let entry):
                drawEntry(entry, into: &grid, x: body.x + 1, y: y, columns: columns, glyphs: glyphs)
                if focused && index == selection {
                    grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection)
                }
            }
        }
    }

    /// Name, value and source columns sized from the rows on screen, so a long value further down
    /// does not cut the names shown. Names come first, then values, then the source's long word:
    /// the source shortens ("file" for "Containerfile") before a value is cut, and goes before a
    /// name is.
    static func columnWidths(_ entries: [EnvironmentEntry], width: Int, glyphs: Glyphs) -> (widths: [Int], longSource: Bool) {
        let rows = entries.map { Self.cells(for: $0, longSource: true, glyphs: glyphs) }
        let names = rows.map { $0[0].text.count }.max() ?? 0
        let values = rows.map { $0[1].text.count }.max() ?? 0
        let longest = rows.map { $0[2].text.count }.max() ?? 0
        let shortest = entries.map { Self.cells(for: $0, longSource: false, glyphs: glyphs)[2].text.count }.max() ?? 0
        func widths(source: Int, nameMinimum: Int, valueMinimum: Int) -> [Int] {
            ColumnLayout.widths([
                TableColumn(natural: names, minimum: nameMinimum),
                TableColumn(natural: values, minimum: valueMinimum, fills: true),
                TableColumn(natural: source, minimum: source, priority: 0),
            ], width: width)
        }
        if names + values + longest + 2 <= width {
            return (widths(source: longest, nameMinimum: names, valueMinimum: values), true)
        }
        // Cut: names keep up to two fifths of the row, values share what is left.
        return (widths(source: shortest, nameMinimum: min(names, max(8, width * 2 / 5)), valueMinimum: min(values, 6)), false)
    }

    /// The row's three cells with their styles; `longSource` picks "Containerfile" over "file".
    static func cells(for entry: EnvironmentEntry, longSource: Bool, glyphs: Glyphs) -> [(text: String, role: StyleRole)] {
        let value: (String, StyleRole)
        if entry.isMissingRequired {
            value = ("\(glyphs.fail) missing", .fail)
        } else if entry.isSecret {
            value = ("\(glyphs.mask) \(entry.value)", entry.value == "missing" ? .warn : .ok)
        } else {
            value = (entry.value, entry.source == .unset ? .muted : .text)
        }
        let source: (String, StyleRole)
        if entry.isMissingRequired {
            source = ("required", .fail)
        } else if entry.needsRestart {
            // Drift matters more than the source: say it where the source would be.
            source = ("\(glyphs.warn) apply", .warn)
        } else {
            source = (longSource ? entry.source.rawValue : entry.source.shortName, .muted)
        }
        return [(entry.name, .text), value, source]
    }

    static func drawEntry(
        _ entry: EnvironmentEntry, into grid: inout Grid, x: Int, y: Int, columns: (widths: [Int], longSource: Bool), glyphs: Glyphs
    ) {
        ColumnLayout.drawRow(Self.cells(for: entry, longSource: columns.longSource, glyphs: glyphs),
                             widths: columns.widths, into: &grid, x: x, y: y, glyphs: glyphs)
    }
}
