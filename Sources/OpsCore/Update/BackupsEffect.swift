/// Requests about backup runs, the remote listing and a running backup's progress, run by the console's backups effect runner.
public enum BackupsEffect: Equatable, Sendable {
    /// Read the schedule, the run history and the remote listing.
    case refresh(BackupTarget)
    /// `backup --trigger manual --detach --json`.
    case trigger(BackupTarget)
    /// Stream a run's record until it ends (one long-lived exec, no polling from here).
    case follow(BackupTarget, runID: String)
    case loadLog(BackupTarget, runID: String)
    case planRestore(BackupTarget, backupID: String)
    /// The pod is down: show the cached listing, then list the remote with a one-off container.
    case listOffline
}
