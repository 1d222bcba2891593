import OpsAdapters
import OpsCore

/// Runs the probes on their schedule, and posts what comes back as actions.
final class HealthEffectRunner: Sendable {
    let context: ConsoleContext

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens.
    func start() {}

    func perform(_ effect: HealthEffect) {
        switch effect {}
    }

    /// Called when the console closes.
    func stop() {}
}
