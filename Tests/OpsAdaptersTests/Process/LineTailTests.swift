import Foundation
import OpsAdapters
import Testing

/// The bounded hand-over between a fast writer and a reader that takes in batches.
struct LineTailTests {
    /// Counts the ready notices a tail gives.
    final class Notices: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var total: Int { lock.withLock { count } }
    }

    @Test func aWriterFasterThanTheReaderKeepsOnlyTheNewestAndCountsTheRest() async throws {
        let notices = Notices()
        let tail = LineTail<Int>(capacity: 100) { _ in notices.add() }
        // Two writer threads, 50,000 lines each, while nobody takes.
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    for batch in 0..<500 { tail.append((0..<100).map { writer * 1_000_000 + batch * 100 + $0 }) }
                }
            }
        }
        #expect(notices.total == 1, "one notice until the reader takes")
        let batch = tail.take()
        #expect(batch.lines.count == 100)
        #expect(batch.skipped == 100_000 - 100)
        #expect(!batch.ended)
        // The newest: the last line of one writer or the other.
        #expect([49_999, 1_049_999].contains(batch.lines.last))

        tail.append([7])
        #expect(notices.total == 2, "taking arms the notice again")
        tail.finish()
        #expect(notices.total == 2, "the reader has not taken since the last notice")
        let last = tail.take()
        #expect(last.lines == [7])
        #expect(last.skipped == 0)
        #expect(last.ended)
        tail.append([8])
        #expect(tail.take().lines.isEmpty, "nothing is kept after the end")
    }

    @Test func theNoticeHandsOverTheTailAndABatchSaysItsPartsInOrder() {
        let taken = Notices()
        let tail = LineTail<String>(capacity: 2) { tail in
            let parts = tail.take().map(skipped: { "skipped \($0)" }, lines: { $0.joined(separator: ",") }, ended: { "end" })
            #expect(parts == ["skipped 1", "b,c"])
            taken.add()
        }
        tail.append(["a", "b", "c"])
        #expect(taken.total == 1)
    }
}
