import Foundation

/// Results and events for backup runs, the remote listing and a running backup's progress, sent by its adapters.
public enum BackupsAction: Sendable {
    /// The OpenCode container came up (its target) or went away (nil, with podman's reason).
    case podChanged(BackupTarget?, reason: String)
    /// `BACKUP_SCHEDULE` as set in the container (nil: unset), read at `at`.
    case scheduleLoaded(String?, at: Date)
    case runsLoaded([BackupRunRecord])
    /// The last restore drill (a verify run's outcome); nil when none is recorded.
    case drillLoaded(BackupDrill?)
    case listingLoaded(BackupListing)
    case listingFailed(String)
    /// A listing made while the pod is down, and where it came from.
    case offlineListed(BackupListing, source: BackupsState.OfflineSource)
    /// The one-off container could not list the remote.
    case offlineFailed(String)
    case triggered(BackupTriggerOutcome)
    /// A followed backup's record changed (progress ticks included).
    case runUpdated(BackupRunRecord)
    /// The follow stream ended; `problem` when it ended without a final record.
    case followEnded(runID: String, problem: String?)
    case logLoaded(runID: String, lines: [String])
    case planLoaded(BackupRestorePlan)
    case sidecarLoaded(BackupSidecarLoad)
    /// A line of a restore job's output (also how a restore already running when the console
    /// opened is picked up).
    case restoreProgress(backupID: String, line: String)
    /// The restore and its sidecar loads are over; `problem` names what failed.
    case restoreEnded(backupID: String, problem: String?)
    /// A line of a verify job's output (also how a verify already running is picked up).
    case verifyProgress(backupID: String, line: String)
    /// The verify job ended: its summary line when it passed, else `problem` names what failed.
    case verifyEnded(backupID: String, summary: String?, problem: String?)
    /// A request failed; the text names what and why.
    case failed(String)
}
