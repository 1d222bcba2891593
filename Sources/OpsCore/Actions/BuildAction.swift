/// Results and events for image builds, their history and the log view, sent by its adapters.
public enum BuildAction: Sendable {
}
