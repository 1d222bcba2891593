/// Requests about backup runs, the remote listing and a running backup's progress, run by the console's backups effect runner.
public enum BackupsEffect: Equatable, Sendable {
}
