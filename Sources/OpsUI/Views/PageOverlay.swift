import OpsCore

/// A scrollable page of text: details of a probe, a backup run's log, an environment entry, a
/// container's log. `/` and `?` search it; matches show in the `match` style. Long lines wrap
/// under themselves; after `h`/`l` they are cut at the edges instead and the page moves sideways
/// (`w` wraps again). The title says which keys apply.
enum PageOverlay {
    static func draw(into grid: inout Grid, page: TextPage, glyphs: Glyphs) {
        let contentWidth = max(1, grid.width - 8)
        let isWide = page.widest > contentWidth
        var keys = "/ search, Esc closes"
        if isWide || page.column > 0 {
            keys += page.wraps ? ", h/l sideways" : ", h/l sideways, w wraps"
        }
        let inner = Dialog.draw(
            into: &grid, title: "\(page.title) (\(keys))", width: grid.width - 4, height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        let width = inner.width - 2
        // The last row holds the search while there is one.
        let rows = page.search == nil ? inner.height : max(0, inner.height - 1)
        let query = page.search.flatMap { $0.isEditing ? nil : $0.query } ?? ""
        for (row, line) in lines(page, width: width, height: rows).enumerated() {
            let text = String(Text.displayable(line, glyphs: glyphs).prefix(width))
            let y = inner.y + row
            grid.put(text, x: inner.x + 1, y: y, role: .overlay)
            for offset in matchOffsets(of: query, in: text) {
                let match = String(text.dropFirst(offset).prefix(query.count))
                grid.put(match, x: inner.x + 1 + offset, y: y, role: .match)
            }
        }
        if !page.wraps, page.column > 0 {
            // A mark at the left edge, so a shifted page does not read as the lines' starts.
            for row in 0..<max(0, min(rows, page.lines.count - page.scroll)) {
                grid.put(glyphs.ellipsis, x: inner.x, y: inner.y + row, role: .muted)
            }
        }
        guard let search = page.search, rows < inner.height else { return }
        let prompt = search.isBackward ? "?" : "/"
        let status: String
        if search.isEditing {
            status = "\(prompt)\(search.query)_  (Enter searches, Esc cancels)"
        } else if let line = search.matchLine {
            let matches = search.matchingLines(in: page.lines)
            let index = (matches.firstIndex(of: line) ?? 0) + 1
            status = "\(prompt)\(search.query)  match \(index) of \(matches.count) (n next, N previous)"
        } else {
            status = "\(prompt)\(search.query)  not found"
        }
        let role: StyleRole = search.isEditing ? .input : (search.matchLine == nil ? .warn : .muted)
        grid.put(Text.fit(Text.displayable(status, glyphs: glyphs), width: inner.width - 2, glyphs: glyphs), x: inner.x + 1, y: inner.maxY - 1, role: role)
    }

    /// Where `query` starts in `text`, in characters, case ignored; matches do not overlap.
    static func matchOffsets(of query: String, in text: String) -> [Int] {
        guard !query.isEmpty else { return [] }
        let haystack = Array(text.lowercased())
        let needle = Array(query.lowercased())
        guard haystack.count == text.count, needle.count <= haystack.count else { return [] }
        var offsets: [Int] = []
        var index = 0
        while index + needle.count <= haystack.count {
            if Array(haystack[index..<index + needle.count]) == needle {
                offsets.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return offsets
    }

    /// Where a wrapped line continues: under the value of a `label:   value` line, else two
    /// past the line's own indent; never past a third of the width.
    static func continuationIndent(_ line: String, width: Int) -> Int {
        var indent = line.prefix { $0 == " " }.count + 2
        if let colon = line.firstIndex(of: ":"), !line[..<colon].contains(" ") {
            let afterColon = line[line.index(after: colon)...]
            let spaces = afterColon.prefix { $0 == " " }.count
            if spaces > 1 { indent = line.distance(from: line.startIndex, to: colon) + 1 + spaces }
        }
        return min(width / 3, indent)
    }

    /// The screen lines for `width`×`height`: wrapped from the scroll position, or cut from the
    /// sideways column. At the end of a page that runs past the screen (a followed log), the
    /// last lines show, so wrapping never hides the newest line.
    static func lines(_ page: TextPage, width: Int, height: Int) -> [String] {
        let source = page.lines.dropFirst(page.scroll)
        guard page.wraps else {
            return source.prefix(height).map { String($0.dropFirst(page.column).prefix(width)) }
        }
        func wrapped<S: Sequence>(_ lines: S) -> [String] where S.Element == String {
            lines.flatMap { Text.wrapLine($0, width: width, indent: continuationIndent($0, width: width)) }
        }
        if page.scroll > 0, page.scroll + height >= page.lines.count {
            return Array(wrapped(page.lines.suffix(height)).suffix(height))
        }
        return Array(wrapped(source.prefix(height)).prefix(height))
    }
}
