import OpsCore

/// How many colours the terminal has; themes degrade 256 → 16 → 8 → none.
public enum ColorDepth: Int, Sendable {
    case none = 0
    case eight = 8
    case sixteen = 16
    case full = 256

    public init(colors: Int, hasColors: Bool) {
        guard hasColors else { self = .none; return }
        switch colors {
        case 256...: self = .full
        case 16...: self = .sixteen
        case 8...: self = .eight
        default: self = .none
        }
    }

    /// The terminal colour number for a theme colour (-1: the terminal's default), and whether
    /// bold must stand in for a bright colour the terminal lacks.
    public func resolve(_ color: ThemeColor) -> (index: Int16, needsBold: Bool) {
        switch (self, color) {
        case (.none, _), (_, .terminalDefault):
            return (-1, false)
        case (.eight, .named(let basic, let bright)):
            return (Int16(basic.rawValue), bright)
        case (_, .named(let basic, let bright)):
            return (Int16(basic.rawValue + (bright ? 8 : 0)), false)
        case (.full, .indexed(let index)):
            return (Int16(index), false)
        case (.sixteen, .indexed(let index)):
            return (Int16(Self.basicIndex(of: index, keepBright: true)), false)
        case (.eight, .indexed(let index)):
            let nearest = Self.basicIndex(of: index, keepBright: true)
            return (Int16(nearest % 8), nearest >= 8)
        }
    }

    /// The nearest of the 16 basic colours for a 256-palette index.
    static func basicIndex(of index: UInt8, keepBright: Bool) -> Int {
        let value = Int(index)
        if value < 16 { return value }
        let rgb: (Int, Int, Int)
        if value >= 232 {
            let level = (value - 232) * 10 + 8
            rgb = (level, level, level)
        } else {
            let cube = value - 16
            let steps = [0, 95, 135, 175, 215, 255]
            rgb = (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
        }
        let palette: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        let distances = palette.map { entry in
            let dr = entry.0 - rgb.0, dg = entry.1 - rgb.1, db = entry.2 - rgb.2
            return dr * dr + dg * dg + db * db
        }
        return distances.indices.min { distances[$0] < distances[$1] } ?? 7
    }
}
