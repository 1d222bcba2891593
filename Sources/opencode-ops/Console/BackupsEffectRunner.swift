import OpsAdapters
import OpsCore

/// Runs backup runs and listings through the scripts in the image, and posts what comes back as actions.
final class BackupsEffectRunner: Sendable {
    let context: ConsoleContext

    init(context: ConsoleContext) {
        self.context = context
    }

    /// Called once when the console opens.
    func start() {}

    func perform(_ effect: BackupsEffect) {
        switch effect {}
    }

    /// Called when the console closes.
    func stop() {}
}
