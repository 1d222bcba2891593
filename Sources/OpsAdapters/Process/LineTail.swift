import Foundation

/// The newest lines of a stream that may outrun its reader. The writer never waits and memory
/// stays bounded: lines beyond `capacity` that the reader has not taken yet are dropped, oldest
/// first, and counted. The reader is told once when lines are waiting (`onReady`, handed the
/// tail to take them from), and not again until it has taken them, so however fast the writer is, at most one notice is outstanding.
public final class LineTail<Line: Sendable>: @unchecked Sendable {
    /// What the reader takes: the lines kept since the last take, how many were dropped before
    /// them, and whether the stream has ended.
    public struct Batch: Sendable {
        public var lines: [Line]
        public var skipped: Int
        public var ended: Bool

        /// What the batch says, in order (skipped, lines, end), each part present only when it
        /// has something to say.
        public func map<Result>(
            skipped: (Int) -> Result, lines: ([Line]) -> Result, ended: () -> Result
        ) -> [Result] {
            var results: [Result] = []
            if self.skipped > 0 { results.append(skipped(self.skipped)) }
            if !self.lines.isEmpty { results.append(lines(self.lines)) }
            if self.ended { results.append(ended()) }
            return results
        }
    }

    public let capacity: Int
    private let onReady: @Sendable (LineTail) -> Void
    private let lock = NSLock()
    // Guarded by `lock`. `lines[start...]` are kept; the dropped prefix is removed in bulk.
    private var lines: [Line] = []
    private var start = 0
    private var skipped = 0
    private var ended = false
    private var notified = false

    public init(capacity: Int, onReady: @escaping @Sendable (LineTail) -> Void) {
        self.capacity = max(1, capacity)
        self.onReady = onReady
    }

    public func append(_ new: [Line]) {
        guard !new.isEmpty else { return }
        let notify = lock.withLock { () -> Bool in
            guard !ended else { return false }
            lines.append(contentsOf: new)
            let excess = lines.count - start - capacity
            if excess > 0 {
                skipped += excess
                start += excess
            }
            if start >= capacity {
                lines.removeFirst(start)
                start = 0
            }
            return markNotified()
        }
        if notify { onReady(self) }
    }

    /// The writer is done; the reader gets `ended` with its next take.
    public func finish() {
        let notify = lock.withLock { () -> Bool in
            guard !ended else { return false }
            ended = true
            return markNotified()
        }
        if notify { onReady(self) }
    }

    /// Everything waiting, and the next line written notifies again.
    public func take() -> Batch {
        lock.withLock {
            let batch = Batch(lines: Array(lines[start...]), skipped: skipped, ended: ended)
            lines.removeAll(keepingCapacity: true)
            start = 0
            skipped = 0
            notified = false
            return batch
        }
    }

    private func markNotified() -> Bool {
        defer { notified = true }
        return !notified
    }
}
