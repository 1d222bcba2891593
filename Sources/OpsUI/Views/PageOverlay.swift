import OpsCore

/// A scrollable page of text: details of a probe, a backup run's log, an environment entry, a
/// container's log. `/` and `?` search it; matches show in the `match` style.
enum PageOverlay {
    static func draw(into grid: inout Grid, page: TextPage, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "\(page.title) (/ search, Esc closes)", width: grid.width - 4, height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        // The last row holds the search while there is one.
        let rows = page.search == nil ? inner.height : max(0, inner.height - 1)
        let query = page.search.flatMap { $0.isEditing ? nil : $0.query } ?? ""
        for (row, line) in page.lines.dropFirst(page.scroll).prefix(rows).enumerated() {
            let text = Text.fit(Text.displayable(line, glyphs: glyphs), width: inner.width - 2, glyphs: glyphs)
            let y = inner.y + row
            grid.put(text, x: inner.x + 1, y: y, role: .overlay)
            for offset in matchOffsets(of: query, in: text) {
                let match = String(text.dropFirst(offset).prefix(query.count))
                grid.put(match, x: inner.x + 1 + offset, y: y, role: .match)
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
}
