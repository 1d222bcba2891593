/// Results and events for backup runs, the remote listing and a running backup's progress, sent by its adapters.
public enum BackupsAction: Sendable {
}
