import OpsAdapters
import OpsCore

/// Writes Kubernetes manifests for the stack, and posts where they went as a message.
final class KubeEffectRunner: Sendable {
    let context: ConsoleContext

    init(context: ConsoleContext) {
        self.context = context
    }

    func perform(_ effect: KubeEffect) {
        switch effect {}
    }
}
