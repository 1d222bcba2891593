/// Requests about probe results and their history, run by the console's health effect runner.
public enum HealthEffect: Equatable, Sendable {
}
