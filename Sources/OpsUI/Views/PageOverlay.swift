import OpsCore

/// A scrollable page of text: details of a probe, a backup run's log, an environment entry.
/// Long lines wrap under themselves; after `h`/`l` they are cut at the edges instead and the
/// page moves sideways (`w` wraps again). The title says which keys apply when a line is long.
enum PageOverlay {
    static func draw(into grid: inout Grid, page: TextPage, glyphs: Glyphs) {
        let contentWidth = max(1, grid.width - 8)
        let isWide = page.widest > contentWidth
        var keys = "Esc closes"
        if isWide || page.column > 0 {
            keys += page.wraps ? ", h/l sideways" : ", h/l sideways, w wraps"
        }
        let inner = Dialog.draw(
            into: &grid, title: "\(page.title) (\(keys))", width: grid.width - 4, height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        let width = inner.width - 2
        for (row, line) in lines(page, width: width, height: inner.height).enumerated() {
            grid.put(Text.displayable(line, glyphs: glyphs), x: inner.x + 1, y: inner.y + row, role: .overlay, maxWidth: width)
        }
        if !page.wraps, page.column > 0 {
            // A mark at the left edge, so a shifted page does not read as the lines' starts.
            for row in 0..<min(inner.height, page.lines.count - page.scroll) {
                grid.put(glyphs.ellipsis, x: inner.x, y: inner.y + row, role: .muted)
            }
        }
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
