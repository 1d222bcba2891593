import Foundation
import OpsAdapters
import OpsCore

/// Runs the resources overlay's one `podman stats` stream: started when the overlay opens,
/// stopped when it closes. Each sample is posted with the time it was read.
public final class StatsEffectRunner: Sendable {
    let context: ConsoleContext
    private let stream = TaskHolder()

    public init(context: ConsoleContext) {
        self.context = context
    }

    public func perform(_ effect: StatsEffect) {
        let post = context.post
        switch effect {
        case .start(let generation, let containers, let interval):
            let stop = PodmanStats(client: PodmanClient(settings: context.startup.settings)).stream(
                containers: containers, interval: interval,
                onSample: { post(.stats(.sampled(generation: generation, StatsSample(time: Date(), containers: $0)))) },
                onEnd: { post(.stats(.ended(generation: generation, reason: $0))) }
            )
            stream.replace("stats", with: stop)
        case .stop:
            stream.cancel("stats")
        }
    }
}
