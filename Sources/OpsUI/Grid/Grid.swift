import OpsCore

/// A rectangle of cells that views draw into and the terminal backend copies to the screen.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * width + x] : .blank }
        set { if contains(x: x, y: y) { cells[y * width + x] = newValue } }
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Writes `text` from (x, y), clipped to `maxWidth` columns and the grid; returns columns used.
    /// Every character takes one column: the console only draws text it has measured that way,
    /// so a control character becomes one placeholder cell (the terminal would draw ESC as `^[`).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .text, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(maxWidth ?? width, width - x)
        var column = 0
        for character in text where column < limit {
            let visibleCharacter = Self.visible(character)
            self[x + column, y] = Cell(visibleCharacter, role: role)
            column += 1
        }
        return max(0, column)
    }

    /// What a cell shows for `character`: blank for tab and line ends, a placeholder for any
    /// other control.
    static func visible(_ character: Character) -> Character {
        if character == "\n" || character == "\r\n" || character == "\t" { return " " }
        guard let control = character.unicodeScalars.first(where: TerminalSafeText.isControl) else { return character }
        return TerminalSafeText.placeholder(for: control, asciiOnly: false)
    }

    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) {
                self[x, y] = cell
            }
        }
    }

    /// Applies `role` to every cell in `rect`, keeping the characters.
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) where contains(x: x, y: y) {
                self[x, y].role = role
            }
        }
    }

    /// The grid's characters, one line per row with trailing blanks removed: what golden files hold.
    public var text: String {
        (0..<height).map { y in
            var line = String((0..<width).map { self[$0, y].character })
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}

public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}
