/// Requests about image builds, their history and the log view, run by the console's build effect runner.
public enum BuildEffect: Equatable, Sendable {
}
