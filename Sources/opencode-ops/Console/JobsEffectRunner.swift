import OpsAdapters
import OpsCore

/// Runs detached jobs, their locks and the audit log, and posts what comes back as actions.
final class JobsEffectRunner: Sendable {
    let context: ConsoleContext

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens.
    func start() {}

    func perform(_ effect: JobsEffect) {
        switch effect {}
    }

    /// Called when the console closes.
    func stop() {}
}
