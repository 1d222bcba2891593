import Foundation
import OpsAdapters
import OpsCore

/// Runs the resources overlay's one `podman stats` stream: started when the overlay opens,
/// stopped when it closes. Each sample is posted with the time it was read.
final class StatsEffectRunner: Sendable {
    let context: ConsoleContext
    private let stream = JobSlot()

    init(context: ConsoleContext) {
        self.context = context
    }

    func perform(_ effect: StatsEffect) {
        let post = context.post
        switch effect {
        case .start(let generation, let containers, let interval):
            let stop = PodmanStats(client: context.podmanClient).stream(
                containers: containers, interval: interval,
                onSample: { post(.stats(.sampled(generation: generation, StatsSample(time: Date(), containers: $0)))) },
                onEnd: { post(.stats(.ended(generation: generation, reason: $0))) }
            )
            stream.replace(with: stop)
        case .stop:
            stream.cancel()
        }
    }
}
