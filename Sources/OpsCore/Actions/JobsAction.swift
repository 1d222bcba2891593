/// Results and events for detached jobs and the audit log, sent by its adapters.
public enum JobsAction: Sendable {
}
