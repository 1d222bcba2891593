import Foundation

/// How a message reads at a glance: each has its own style in the footer and the overlay.
public enum MessageLevel: String, Equatable, Sendable {
    /// Neutral news: a cancelled dialog, a job that started.
    case info
    case success
    /// A refusal or something to look at: read-only, busy, nothing selected.
    case warning
    case failure
}

/// One thing the console reported, with the time it happened (nil before the first clock tick).
public struct Message: Equatable, Sendable {
    public var text: String
    public var level: MessageLevel
    public var time: Date?

    public init(_ text: String, level: MessageLevel = .info, time: Date? = nil) {
        self.text = text
        self.level = level
        self.time = time
    }
}

/// What the console reported (results, refusals, config problems), oldest first, keeping the
/// newest `capacity`. As a collection its elements are the texts; `entries` has levels and times.
public struct MessageLog: Equatable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public static let capacity = 500

    public private(set) var entries: [Message] = []
    /// How many of `entries`, from the oldest, the operator has seen in the messages overlay.
    public private(set) var readCount = 0
    /// Messages ever appended, so a caller can tell which ones an action added after trimming.
    public private(set) var appendedCount = 0

    public init() {}

    public init(_ texts: [String]) {
        texts.forEach { append($0) }
    }

    public init(arrayLiteral texts: String...) {
        self.init(texts)
    }

    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> String { entries[position].text }

    public mutating func append(_ text: String, level: MessageLevel = .info) {
        append(Message(text, level: level))
    }

    public mutating func append(_ message: Message) {
        entries.append(message)
        appendedCount += 1
        if entries.count > Self.capacity {
            let excess = entries.count - Self.capacity
            entries.removeFirst(excess)
            readCount = Swift.max(0, readCount - excess)
        }
    }

    public mutating func append(contentsOf texts: [String], level: MessageLevel = .info) {
        texts.forEach { append($0, level: level) }
    }

    public static func += (log: inout MessageLog, texts: [String]) {
        log.append(contentsOf: texts)
    }

    /// Gives a time to the newest messages that have none: they were added by the action whose
    /// time it is.
    mutating func stamp(_ time: Date?) {
        guard let time else { return }
        var index = entries.count - 1
        while index >= 0, entries[index].time == nil {
            entries[index].time = time
            index -= 1
        }
    }

    public var unread: ArraySlice<Message> { entries[Swift.min(readCount, entries.count)...] }

    /// True when an unread message is a warning or a failure: only then is the counter amber.
    public var unreadNeedsAttention: Bool {
        unread.contains { $0.level == .warning || $0.level == .failure }
    }

    mutating func markRead() {
        readCount = entries.count
    }
}
