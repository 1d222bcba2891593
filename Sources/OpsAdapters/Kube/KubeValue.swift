import Yams

/// A YAML value whose mapping keys keep the order they were written in, so a manifest reads
/// apiVersion, kind, metadata, spec as people expect (a dictionary would reorder them).
public indirect enum KubeValue: Equatable, Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([KubeValue])
    case map([KubeField])

    /// The value as a Yams node; strings that would read back as another type are quoted.
    var node: Node {
        switch self {
        case .string(let text):
            return .scalar(text.represented())
        case .int(let number):
            return Node(String(number), Tag(.int))
        case .bool(let flag):
            return Node(flag ? "true" : "false", Tag(.bool))
        case .list(let items):
            return .sequence(Node.Sequence(items.map(\.node)))
        case .map(let fields):
            return .mapping(Node.Mapping(fields.map { (Node($0.key), $0.value.node) }))
        }
    }

    /// YAML documents separated by `---`, each starting with the given comment lines.
    static func yaml(documents: [KubeValue], header: [String] = []) throws -> String {
        let body = try Yams.serialize(nodes: documents.map(\.node), width: -1, explicitStart: true)
        return header.map { "# \($0)\n" }.joined() + body
    }
}

/// One key of a mapping.
public struct KubeField: Equatable, Sendable {
    public var key: String
    public var value: KubeValue

    public init(_ key: String, _ value: KubeValue) {
        self.key = key
        self.value = value
    }
}

extension KubeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension KubeValue {
    /// A mapping from key/value pairs in the order given.
    static func object(_ pairs: (String, KubeValue)...) -> KubeValue {
        .map(pairs.map { KubeField($0.0, $0.1) })
    }

    /// A mapping of string labels or selectors, sorted by key so output is stable.
    static func labels(_ labels: [String: String]) -> KubeValue {
        .map(labels.keys.sorted().map { KubeField($0, .string(labels[$0] ?? "")) })
    }

    static func strings(_ items: [String]) -> KubeValue {
        .list(items.map(KubeValue.string))
    }

    /// The field's value when this is a mapping holding `key`.
    public subscript(key: String) -> KubeValue? {
        guard case .map(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }
}
