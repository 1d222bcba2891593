import OpsAdapters
import OpsCore

/// Runs pod effects with the podman adapter, and posts what comes back as actions.
final class PodEffectRunner: Sendable {
    let context: ConsoleContext

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens.
    func start() {}

    func perform(_ effect: PodEffect) {
        switch effect {}
    }

    /// Called when the console closes.
    func stop() {}
}
