import Foundation
import OpsCore

/// Where effect results from other threads wait for the terminal's thread: posting writes a byte
/// to the terminal's wake pipe, so the run loop sleeps until there is work.
///
/// A source that can outrun the loop (a log follower) posts a collector instead of actions: the
/// loop runs it when it drains, and the collector takes whatever its source holds then. The
/// source posts again only after that, so the mailbox holds at most one entry per such source
/// and what waits here stays bounded however fast the source is.
public final class Mailbox: @unchecked Sendable {
    private enum Entry {
        case action(Action)
        case collect(@Sendable () -> [Action])
    }

    private let lock = NSLock()
    private var pending: [Entry] = []
    private let wakeFileDescriptor: Int32

    public init(wakeFileDescriptor: Int32) {
        self.wakeFileDescriptor = wakeFileDescriptor
    }

    public func post(_ action: Action) {
        add(.action(action))
    }

    /// `collect` runs on the terminal thread when the loop drains.
    public func post(collecting collect: @escaping @Sendable () -> [Action]) {
        add(.collect(collect))
    }

    /// Everything posted so far, in order, collectors run.
    public func drain() -> [Action] {
        let entries = lock.withLock {
            defer { pending.removeAll() }
            return pending
        }
        return entries.flatMap { entry -> [Action] in
            switch entry {
            case .action(let action): [action]
            case .collect(let collect): collect()
            }
        }
    }

    private func add(_ entry: Entry) {
        lock.withLock { pending.append(entry) }
        var byte: UInt8 = 0
        _ = write(wakeFileDescriptor, &byte, 1)
    }
}
