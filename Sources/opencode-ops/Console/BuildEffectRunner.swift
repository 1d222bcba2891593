import OpsAdapters
import OpsCore

/// Runs build and log effects with the podman adapter, and posts what comes back as actions.
final class BuildEffectRunner: Sendable {
    let context: ConsoleContext

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens.
    func start() {}

    func perform(_ effect: BuildEffect) {
        switch effect {}
    }

    /// Called when the console closes.
    func stop() {}
}
