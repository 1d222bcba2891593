import Foundation

/// What the console knows about backup runs, the remote listing and a running backup's progress.
public struct BackupsState: Equatable, Sendable {
    /// Whether the OpenCode container that runs the scripts is up.
    public enum Pod: Equatable, Sendable {
        /// Nothing heard from podman yet.
        case unknown
        /// No running OpenCode container in the pod; `reason` says what podman reported.
        case absent(reason: String)
        case running(BackupTarget)
    }

    public var pod: Pod = .unknown
    /// `BACKUP_SCHEDULE` in the container; nil when unset (manual backups only).
    public var schedule: String?
    public var nextRun: Date?
    public var scheduleProblem: String?
    /// The schedule's longest interval between runs (`BackupCronSchedule.longestInterval`),
    /// worked out once per schedule; nil without a usable schedule.
    public var scheduleInterval: TimeInterval?
    /// The last restore drill, once verify records provide one (`.drillLoaded`).
    public var lastDrill: BackupDrill?
    /// The remote as the script describes it: credentials already masked.
    public var remote: String?
    public var runs: [BackupRunRecord] = []
    /// The remote listing; nil until loaded or when it failed (`listingError`).
    public var listing: [BackupRemoteEntry]?
    public var listingError: String?
    /// The listing's warnings (backups not encrypted), shown under the remote.
    public var remoteWarnings: [String] = []
    /// True once the first run history arrived, so "no backups yet" is a fact, not a guess.
    public var isLoaded = false
    /// The backup running now, with its latest record (progress included).
    public var active: BackupRunRecord?
    /// A trigger was sent and not answered yet.
    public var isTriggering = false
    /// The restore in progress: the backup it restores and its latest record.
    public var restoring: String?
    public var restoreRecord: BackupRunRecord?
    /// What the restore is doing beyond the script: loading sidecars.
    public var restoreNote: String?
    /// The verify in progress (the backup it reads back) and its latest output line.
    public var verifying: String?
    public var verifyNote: String?
    /// The drills as the listing reports them: schedule, last scheduled verify, last verify.
    public var drill: BackupDrillReport?

    /// Where the listing shown while the pod is down came from.
    public enum OfflineSource: Equatable, Sendable {
        /// A one-off container of the image listed the remote at this time.
        case oneOff(at: Date)
        /// The console's copy of the last listing that succeeded, saved at this time.
        case cache(savedAt: Date)
    }

    /// Set while the pod is down and a listing came without it.
    public var offlineSource: OfflineSource?
    /// A one-off listing was asked for and has not answered yet.
    public var isListingOffline = false
    /// Why the one-off listing failed.
    public var offlineProblem: String?

    public init() {}

    public var target: BackupTarget? {
        if case .running(let target) = pod { return target }
        return nil
    }

    /// History rows: run records merged with the remote listing, newest first.
    public var rows: [BackupHistoryRow] {
        var runs = runs
        if let active {
            if let index = runs.firstIndex(where: { $0.id == active.id }) { runs[index] = active } else { runs.insert(active, at: 0) }
        }
        return BackupHistoryRow.merge(runs: runs, listing: listing)
    }

    /// Rows passing the panel's filter.
    public func visibleRows(filter: String) -> [BackupHistoryRow] {
        let rows = rows
        guard !filter.isEmpty else { return rows }
        return rows.filter { $0.searchText.contains(filter.lowercased()) }
    }

    /// Rows the panel lists, for moving the selection.
    public var rowCount: Int { rows.count }

    /// How old the last good backup is against its limit; nil until the history is loaded.
    public func freshness(now: Date) -> BackupFreshness? {
        guard isLoaded else { return nil }
        return BackupFreshness.evaluate(
            lastGood: BackupFreshness.lastGood(runs: runs, listing: listing), attempted: BackupFreshness.attempted(runs: runs),
            interval: scheduleInterval, drill: lastDrill, now: now
        )
    }
}
