/// Where the Build & Logs panel reads from: a container of the pod, or the last build's output.
public enum LogSource: String, CaseIterable, Equatable, Sendable {
    case opencode, falkordb, valkey, build

    /// The container role for container sources; nil for the build output.
    public var role: PodmanRole? { PodmanRole(rawValue: rawValue) }

    /// `c` cycles in this order.
    public var next: LogSource {
        let all = LogSource.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// One line of the log view.
public struct LogEntry: Equatable, Sendable {
    public var text: String
    /// `HH:MM:SS` of a container line, `+42s` of a build line; empty when unknown.
    public var stamp: String
    public var isError: Bool
    /// A line the console wrote itself (e.g. "container replaced"), not the program's output.
    public var isNote: Bool

    public init(text: String, stamp: String = "", isError: Bool = false, isNote: Bool = false) {
        self.text = text
        self.stamp = stamp
        self.isError = isError
        self.isNote = isNote
    }

    /// A line of `podman logs --timestamps`: the leading RFC 3339 time is split off and kept as
    /// `HH:MM:SS`, so timestamps can be shown or hidden without restarting the stream.
    public init(podmanLine line: String, isError: Bool) {
        guard let space = line.firstIndex(of: " ") else {
            self.init(text: line, isError: isError)
            return
        }
        let first = line[..<space]
        let isTime = first.count >= 19 && first.first?.isNumber == true
            && first[first.index(first.startIndex, offsetBy: 10)] == "T"
        guard isTime else {
            self.init(text: line, isError: isError)
            return
        }
        let timeStart = first.index(first.startIndex, offsetBy: 11)
        let stamp = String(first[timeStart...].prefix(8))
        self.init(text: String(line[line.index(after: space)...]), stamp: stamp, isError: isError)
    }

    /// What `/` matches against.
    public func matches(_ filter: String) -> Bool {
        filter.isEmpty || text.lowercased().contains(filter.lowercased())
    }
}

/// The newest `limit` lines of one source, oldest first.
public struct LogBuffer: Equatable, Sendable {
    public private(set) var entries: [LogEntry] = []
    public var limit: Int

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Appends and drops the oldest lines over the limit; returns how many were dropped.
    @discardableResult
    public mutating func append(_ new: [LogEntry]) -> Int {
        entries.append(contentsOf: new)
        let excess = entries.count - limit
        guard excess > 0 else { return 0 }
        entries.removeFirst(excess)
        return excess
    }

    public mutating func removeAll() {
        entries.removeAll()
    }

    public var count: Int { entries.count }
}
