/// Which command each key runs: the defaults with config overrides applied. An override replaces
/// every default key of that command, so a key freed by one override can be reused by another.
public struct KeyMap: Equatable, Sendable {
    public private(set) var keys: [Command: [Key]]

    public init(overrides: [String: String] = [:]) {
        var keys = Dictionary(uniqueKeysWithValues: Command.allCases.map { ($0, $0.defaultKeys) })
        for (name, spec) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let command = Command(rawValue: name) else { continue }
            let parsed = spec.split(separator: ",").compactMap { Key(spec: $0.trimmingCharacters()) }
            guard !parsed.isEmpty else { continue }
            for other in Command.allCases where other != command {
                keys[other]?.removeAll { parsed.contains($0) }
            }
            keys[command] = parsed
        }
        self.keys = keys
    }

    /// The command bound to `key`.
    public func command(for key: Key) -> Command? {
        Command.allCases.first { keys[$0]?.contains(key) == true }
    }

    public func keys(for command: Command) -> [Key] {
        keys[command] ?? []
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
