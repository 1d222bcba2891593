/// A long-running podman operation (build, rebuild, logs): its updates as they come, and a
/// way to stop it.
public final class PodmanJob<Update: Sendable>: Sendable {
    public let updates: AsyncStream<Update>
    private let onCancel: @Sendable () -> Void

    public init(updates: AsyncStream<Update>, onCancel: @escaping @Sendable () -> Void) {
        self.updates = updates
        self.onCancel = onCancel
    }

    /// Asks the job to stop; it still reports how it ended on `updates`.
    public func cancel() { onCancel() }
}
