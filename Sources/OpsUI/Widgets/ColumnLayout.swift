import OpsCore

/// One column of a table: how wide its content wants to be, how narrow it may get, and what
/// happens with spare or missing room.
public struct TableColumn: Equatable, Sendable {
    /// The widest content (header included).
    public var natural: Int
    /// Below this the column is not worth drawing: a column that may be dropped is dropped, one
    /// that may not keeps this width.
    public var minimum: Int
    /// Spare room goes to the first column that fills; without one it stays at the end.
    public var fills: Bool
    /// Optional columns are shown, highest priority first, while their minimums fit beside the
    /// required ones; one that does not fit makes way for a lower one that does.
    public var priority: Int?

    public init(natural: Int, minimum: Int = 1, fills: Bool = false, priority: Int? = nil) {
        self.natural = max(0, natural)
        self.minimum = max(0, min(minimum, natural))
        self.fills = fills
        self.priority = priority
    }

    /// A column sized by its header and the widest of `values`.
    public init(header: String = "", values: [String], minimum: Int = 1, fills: Bool = false, priority: Int? = nil) {
        let natural = max(header.count, values.map(\.count).max() ?? 0)
        self.init(natural: natural, minimum: minimum, fills: fills, priority: priority)
    }
}

/// Column widths from the content and the room: every table sizes its columns here, so a long
/// name is only cut when no other column has room to give.
public enum ColumnLayout {
    /// Widths for `columns` in `width` cells with `gap` blanks between drawn columns; a dropped
    /// column gets 0 (and no gap). When everything fits, each column gets its natural width and
    /// the filling column the rest. Otherwise the widest columns are cut to a common width, so a
    /// short column keeps all of its text while long ones share what is left.
    public static func widths(_ columns: [TableColumn], width: Int, gap: Int = 1) -> [Int] {
        // Required columns always; optional ones, most wanted first, while their minimums fit.
        var shown = columns.map { $0.natural > 0 && $0.priority == nil }
        func room() -> Int {
            let count = shown.filter { $0 }.count
            return width - max(0, count - 1) * gap
        }
        func minimums() -> Int {
            zip(columns, shown).filter(\.1).map(\.0.minimum).reduce(0, +)
        }
        let optional = columns.indices.filter { columns[$0].priority != nil && columns[$0].natural > 0 }
            .sorted { columns[$0].priority! > columns[$1].priority! }
        for index in optional {
            shown[index] = true
            if minimums() > room() { shown[index] = false }
        }
        let available = max(0, room())
        let naturals = columns.indices.map { shown[$0] ? columns[$0].natural : 0 }
        if naturals.reduce(0, +) <= available {
            var widths = naturals
            if let filler = columns.indices.first(where: { shown[$0] && columns[$0].fills }) {
                widths[filler] += available - naturals.reduce(0, +)
            }
            return widths
        }
        // The largest common cap that fits, each column kept at least at its minimum.
        func total(cap: Int) -> Int {
            columns.indices.map { shown[$0] ? max(columns[$0].minimum, min(columns[$0].natural, cap)) : 0 }.reduce(0, +)
        }
        var low = 0
        var high = naturals.max() ?? 0
        while low < high {
            let middle = (low + high + 1) / 2
            if total(cap: middle) <= available { low = middle } else { high = middle - 1 }
        }
        var widths = columns.indices.map { shown[$0] ? max(columns[$0].minimum, min(columns[$0].natural, low)) : 0 }
        // The remainder below one more step of the cap goes to the capped columns, left first.
        var spare = available - widths.reduce(0, +)
        for index in columns.indices where spare > 0 && shown[index] && widths[index] < columns[index].natural {
            widths[index] += 1
            spare -= 1
        }
        return widths
    }

    /// Draws one row: each cell padded or cut to its column, `gap` blanks between drawn columns.
    /// Returns the x where each column started (nil for dropped ones).
    @discardableResult
    public static func drawRow(
        _ cells: [(text: String, role: StyleRole)], widths: [Int], into grid: inout Grid, x: Int, y: Int,
        gap: Int = 1, glyphs: Glyphs
    ) -> [Int?] {
        var column = x
        var starts: [Int?] = []
        for (cell, width) in zip(cells, widths) {
            guard width > 0 else { starts.append(nil); continue }
            starts.append(column)
            grid.put(Text.pad(Text.displayable(cell.text, glyphs: glyphs), width: width, glyphs: glyphs), x: column, y: y, role: cell.role)
            column += width + gap
        }
        return starts
    }
}
