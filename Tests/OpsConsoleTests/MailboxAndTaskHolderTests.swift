import Foundation
import OpsConsole
import OpsCore
import Testing

struct MailboxAndTaskHolderTests {
    @Test func theMailboxGivesActionsInOrderAndRunsCollectorsWhenItDrains() {
        let posted = PostedActions()
        let collected = Counter()
        posted.mailbox.post(.message("first"))
        posted.mailbox.post(collecting: {
            collected.add()
            return [.message("collected")]
        })
        posted.mailbox.post(.message("last"))
        #expect(collected.value == 0, "a collector runs only when the loop drains")
        let texts = posted.mailbox.drain().compactMap { action -> String? in
            if case .message(let text, _) = action { return text }
            return nil
        }
        #expect(texts == ["first", "collected", "last"])
        #expect(collected.value == 1)
        #expect(posted.mailbox.drain().isEmpty)
    }

    @Test func aNamedTaskIsStoppedWhenReplacedAndEverythingWhenAllIsCancelled() {
        let holder = TaskHolder()
        let stopped = Counter()
        holder.replace("logs", with: { stopped.add() })
        holder.replace("logs", with: { stopped.add() })
        #expect(stopped.value == 1, "the first stream stops when the second takes its place")
        holder.remove("logs")
        holder.cancel("logs")
        #expect(stopped.value == 1, "a removed one has ended: nothing to stop")
        holder.replace("attached", with: { stopped.add() })
        #expect(holder.contains("attached"))
        let task = Task { _ = try? await Task.sleep(nanoseconds: 600_000_000_000) }
        holder.add(task)
        holder.cancelAll()
        #expect(stopped.value == 2)
        #expect(task.isCancelled)
        #expect(!holder.contains("attached"))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func add() { lock.withLock { count += 1 } }
}
