/// What the console knows about pod, its containers, the engine and the events stream.
public struct PodState: Equatable, Sendable {
    public init() {}
}
