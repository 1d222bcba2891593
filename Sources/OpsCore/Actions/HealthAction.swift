/// Results and events for probe results and their history, sent by its adapters.
public enum HealthAction: Sendable {
}
