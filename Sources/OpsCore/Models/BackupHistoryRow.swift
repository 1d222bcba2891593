/// One line of the Backups panel's history: a local run record merged with the remote listing's
/// entry of the same id, or either alone.
public struct BackupHistoryRow: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        case running(phase: String)
        /// On the remote with its manifest: downloaded again and checked.
        case verified
        /// Recorded as verified, but the remote listing does not show it (pruned, or the
        /// listing could not be read).
        case notListed
        case failed(kind: String)
        /// Archive on the remote without a manifest: never verified.
        case incomplete
        case missingArchive
        /// A restore run (its `backupID` is the backup it restored).
        case restored
        case restoreFailed(kind: String)
        /// A verify run (its `backupID` is the backup it read back): passed, or what failed.
        case checked
        case checkFailed(kind: String)
    }

    public var id: String
    public var kind: BackupRunRecord.Kind
    /// ISO 8601 UTC start, or the remote entry's creation time.
    public var startedAt: String
    public var trigger: String?
    public var status: Status
    public var bytes: Int?
    public var error: String?
    public var backupID: String?
    /// How far the after-upload check got (`remote md5`, `size + part hashes`); nil when unknown.
    public var verification: String?
    /// True when a run record exists here (so Enter can show its log).
    public var hasLog: Bool

    public init(
        id: String, kind: BackupRunRecord.Kind = .backup, startedAt: String, trigger: String?, status: Status,
        bytes: Int? = nil, error: String? = nil, backupID: String? = nil, verification: String? = nil, hasLog: Bool
    ) {
        self.id = id
        self.kind = kind
        self.startedAt = startedAt
        self.trigger = trigger
        self.status = status
        self.bytes = bytes
        self.error = error
        self.backupID = backupID
        self.verification = verification
        self.hasLog = hasLog
    }

    /// The part of the id the panel shows and a restore's confirmation asks for.
    public var shortID: String { BackupFormat.shortID(id) }

    /// What started it: `manual`, `scheduled`, or `restore` for a restore run.
    public var triggerWord: String? {
        kind == .restore ? "restore" : trigger
    }

    /// The verification level in one word: `md5`, `sha1`, `size` (size and part hashes only).
    public var levelWord: String? {
        guard let verification, !verification.isEmpty else { return nil }
        if verification.hasPrefix("size") { return "size" }
        return verification.split(separator: " ").last.map(String.init)
    }

    /// Only a verified backup can be restored (the script refuses anything else).
    public var isRestorable: Bool { kind == .backup && status == .verified }

    /// A backup that is on the remote, or may be: a verify reads it back (and says so when it
    /// is damaged or gone).
    public var isVerifiable: Bool {
        guard kind == .backup else { return false }
        switch status {
        case .verified, .notListed, .missingArchive, .incomplete: return true
        default: return false
        }
    }

    /// The word shown beside the symbol, with the verification level: never colour alone.
    public var statusWord: String {
        guard status == .verified, let level = levelWord else { return stateWord }
        return "verified \(level)"
    }

    /// The state alone (`verified`, `failed upload`...), as `backup list --json` gives it.
    public var stateWord: String {
        switch status {
        case .running(let phase): "running \(phase)"
        case .verified: "verified"
        case .notListed: "not listed"
        case .failed(let kind): "failed \(Self.short(kind))"
        case .incomplete: "incomplete"
        case .missingArchive: "no archive"
        case .restored: "restored"
        case .restoreFailed(let kind): "restore failed \(Self.short(kind))"
        case .checked: "verify passed"
        case .checkFailed(let kind): "verify \(Self.short(kind))"
        }
    }

    /// `upload-failed` reads as `upload` after the word "failed".
    static func short(_ kind: String) -> String {
        kind.hasSuffix("-failed") ? String(kind.dropLast("-failed".count)) : kind
    }

    public var searchText: String {
        [id, statusWord, triggerWord ?? "", error ?? "", backupID ?? ""].joined(separator: " ").lowercased()
    }

    /// Merges run records and the remote listing, newest first.
    public static func merge(runs: [BackupRunRecord], listing: [BackupRemoteEntry]?) -> [BackupHistoryRow] {
        let remote = Dictionary((listing ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [BackupHistoryRow] = []
        var seen = Set<String>()
        for run in runs {
            seen.insert(run.id)
            let entry = remote[run.id]
            let status: Status
            switch (run.kind, run.result) {
            case (_, .running):
                status = .running(phase: run.phase)
            case (.backup, .succeeded):
                if let entry { status = entryStatus(entry) } else { status = listing == nil && run.verified ? .verified : .notListed }
            case (.backup, .failed):
                status = .failed(kind: run.errorKind ?? "failed")
            case (.restore, .succeeded):
                status = .restored
            case (.restore, .failed):
                status = .restoreFailed(kind: run.errorKind ?? "failed")
            case (.verify, .succeeded):
                status = .checked
            case (.verify, .failed):
                status = .checkFailed(kind: run.errorKind ?? "failed")
            }
            rows.append(BackupHistoryRow(
                id: run.id, kind: run.kind, startedAt: run.startedAt, trigger: run.trigger, status: status,
                bytes: run.archive?.bytes ?? entry?.bytes, error: run.error, backupID: run.backupID,
                verification: run.verification?.level ?? entry?.localRun?.verification, hasLog: true
            ))
        }
        for entry in listing ?? [] where !seen.contains(entry.id) {
            rows.append(BackupHistoryRow(
                id: entry.id, startedAt: entry.createdAt ?? entry.id, trigger: entry.localRun?.trigger,
                status: entryStatus(entry), bytes: entry.bytes, error: entry.localRun?.error,
                verification: entry.localRun?.verification, hasLog: false
            ))
        }
        return rows.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
    }

    private static func entryStatus(_ entry: BackupRemoteEntry) -> Status {
        switch entry.state {
        case "verified": .verified
        case "missing-archive": .missingArchive
        default: .incomplete
        }
    }
}
