import OpsCore

/// One terminal cell: a character and the role that styles it. Roles, not colours, are stored so
/// a theme switch needs no re-render of the state.
public struct Cell: Equatable, Hashable, Sendable {
    public var character: Character
    public var role: StyleRole

    public init(_ character: Character = " ", role: StyleRole = .text) {
        self.character = character
        self.role = role
    }

    public static let blank = Cell()
}
