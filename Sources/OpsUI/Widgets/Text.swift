import OpsCore

/// Measuring and cutting text to a column count.
public enum Text {
    /// `text` cut to `width` columns, ending in an ellipsis when it had to be cut.
    public static func fit(_ text: String, width: Int, glyphs: Glyphs) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        let ellipsis = glyphs.ellipsis
        guard width > ellipsis.count else { return String(text.prefix(width)) }
        return String(text.prefix(width - ellipsis.count)) + ellipsis
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    public static func pad(_ text: String, width: Int, glyphs: Glyphs) -> String {
        let fitted = fit(text, width: width, glyphs: glyphs)
        return fitted + String(repeating: " ", count: max(0, width - fitted.count))
    }

    /// Words wrapped to `width` columns; a word longer than a line (a path, say) is broken
    /// across lines rather than cut, so nothing of it is lost.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var pieces: [String] = []
        for word in text.split(separator: " ") {
            var rest = Substring(word)
            while rest.count > width {
                pieces.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
            pieces.append(String(rest))
        }
        for piece in pieces {
            if current.isEmpty {
                current = piece
            } else if current.count + 1 + piece.count <= width {
                current += " " + piece
            } else {
                lines.append(current)
                current = piece
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// One line in pieces of at most `width` columns, broken after a space in the second half of
    /// a piece (else inside a word); pieces after the first are indented by `indent`. Unlike
    /// `wrap`, spacing inside the line is kept, so columns of a table or a log stay aligned.
    public static func wrapLine(_ line: String, width: Int, indent: Int) -> [String] {
        guard width > 0, line.count > width else { return [line] }
        let indent = width > indent ? indent : 0
        var pieces: [String] = []
        var rest = Substring(line)
        var room = width
        while rest.count > room {
            let head = rest.prefix(room)
            var cut = room
            if let space = head.lastIndex(of: " ") {
                let offset = head.distance(from: head.startIndex, to: space)
                if offset >= room / 2 { cut = offset + 1 }
            }
            pieces.append(String(rest.prefix(cut)))
            rest = rest.dropFirst(cut)
            room = width - indent
        }
        if !rest.isEmpty { pieces.append(String(rest)) }
        return [pieces[0]] + pieces.dropFirst().map { String(repeating: " ", count: indent) + $0 }
    }

    /// Replaces characters outside ASCII when the terminal cannot show them, and controls with
    /// `?` there (in UTF-8 the grid gives each control its picture).
    public static func displayable(_ text: String, glyphs: Glyphs) -> String {
        guard glyphs.asciiOnly else { return text }
        return String(text.map { character in
            guard character.isASCII else { return "?" }
            if character.isNewline || character == "\t" { return character }
            return character.unicodeScalars.contains(where: TerminalSafeText.isControl) ? "?" : character
        })
    }
}
