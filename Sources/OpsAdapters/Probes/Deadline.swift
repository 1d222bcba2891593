import Foundation

/// Races an operation against a timeout without waiting for the operation to notice
/// cancellation: blocking socket calls may not, and the caller must never be held up by them.
func withDeadline<T: Sendable>(
    seconds: Double, operation: @escaping @Sendable () async -> T, onTimeout: @escaping @Sendable () -> T
) async -> T {
    let once = ResumeOnce<T>()
    return await withCheckedContinuation { continuation in
        once.set(continuation)
        let work = Task {
            let value = await operation()
            once.resume(with: value)
        }
        Task {
            try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1_000_000_000))
            if once.resume(with: onTimeout()) { work.cancel() }
        }
    }
}

/// Resumes a continuation exactly once, from whichever side finishes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?
    private var pending: T?
    private var done = false

    func set(_ continuation: CheckedContinuation<T, Never>) {
        lock.lock()
        if let pending {
            lock.unlock()
            continuation.resume(returning: pending)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    /// Returns true when this call was the one that resumed.
    @discardableResult
    func resume(with value: T) -> Bool {
        lock.lock()
        guard !done else { lock.unlock(); return false }
        done = true
        if let continuation {
            self.continuation = nil
            lock.unlock()
            continuation.resume(returning: value)
        } else {
            pending = value
            lock.unlock()
        }
        return true
    }
}
