import Foundation

/// What a runner has running: tasks and streams, each with its way to stop. A named one is
/// replaced (the previous stopped) when the same name comes again, so a build's log stream or a
/// followed job runs once; `cancelAll` stops everything when the console closes.
public final class TaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var named: [String: @Sendable () -> Void] = [:]
    private var unnamed: [Task<Void, Never>] = []

    public init() {}

    /// Keeps a task that needs no name, to cancel when the console closes.
    public func add(_ task: Task<Void, Never>) {
        lock.withLock {
            unnamed.removeAll { $0.isCancelled }
            unnamed.append(task)
        }
    }

    /// Keeps `task` under `name`, cancelling the one kept there before.
    public func replace(_ name: String, with task: Task<Void, Never>) {
        replace(name, with: { task.cancel() })
    }

    /// Keeps how to stop something under `name` (nil: nothing), stopping the one kept before.
    public func replace(_ name: String, with stop: (@Sendable () -> Void)?) {
        let previous = lock.withLock { () -> (@Sendable () -> Void)? in
            defer { named[name] = stop }
            return named[name]
        }
        previous?()
    }

    public func contains(_ name: String) -> Bool {
        lock.withLock { named[name] != nil }
    }

    /// Stops what runs under `name`.
    public func cancel(_ name: String) {
        replace(name, with: nil as (@Sendable () -> Void)?)
    }

    /// Forgets `name` without stopping it: it has ended.
    public func remove(_ name: String) {
        lock.withLock { _ = named.removeValue(forKey: name) }
    }

    public func cancelAll() {
        let (stops, tasks) = lock.withLock { () -> ([@Sendable () -> Void], [Task<Void, Never>]) in
            defer {
                named.removeAll()
                unnamed.removeAll()
            }
            return (Array(named.values), unnamed)
        }
        stops.forEach { $0() }
        tasks.forEach { $0.cancel() }
    }
}
