/// Results and events for pod, its containers, the engine and the events stream, sent by its adapters.
public enum PodAction: Sendable {
}
