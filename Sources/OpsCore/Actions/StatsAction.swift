/// What the stats stream reports, tagged with the generation of the stream that sent it.
public enum StatsAction: Sendable {
    case sampled(generation: Int, StatsSample)
    /// The stream ended by itself: podman exited or could not start (`reason` says why).
    case ended(generation: Int, reason: String)
}
