import Foundation
import OpsCore

/// Where effect results from other threads wait for the terminal's thread: posting an action
/// writes a byte to the terminal's wake pipe, so the run loop sleeps until there is work.
final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Action] = []
    private let wakeFileDescriptor: Int32

    init(wakeFileDescriptor: Int32) {
        self.wakeFileDescriptor = wakeFileDescriptor
    }

    func post(_ action: Action) {
        lock.withLock { pending.append(action) }
        var byte: UInt8 = 0
        _ = write(wakeFileDescriptor, &byte, 1)
    }

    func drain() -> [Action] {
        lock.withLock {
            defer { pending.removeAll() }
            return pending
        }
    }
}
