import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// The Backups panel alone, at the size it gets on an 80×24 screen, in UTF-8 and ASCII.
@Suite struct BackupsPanelGoldenTests {
    static let target = BackupTarget(container: "opencode-opencode", falkordb: "opencode-falkordb", valkey: "opencode-valkey")
    static let modes: [(GlyphMode, String)] = [(.unicode, "utf8"), (.ascii, "ascii")]

    static func record(_ id: String, _ result: BackupRunRecord.Result, phase: String = "done", bytes: Int? = nil,
                       errorKind: String? = nil, error: String? = nil, progress: BackupProgress? = nil, trigger: String = "manual") -> BackupRunRecord {
        BackupRunRecord(id: id, trigger: trigger, startedAt: BackupFormat.startedAt(runID: id), phase: phase, result: result,
                        error: error, errorKind: errorKind, remote: "b2://ops-backups/opencode (key 0012…01)", progress: progress,
                        verified: result == .succeeded, archive: bytes.map { BackupArchiveInfo(bytes: $0) })
    }

    static let history = [
        record("20261127T020000Z-1a2b", .succeeded, bytes: 209_725_440, trigger: "scheduled"),
        record("20261126T120000Z-3c4d", .failed, errorKind: "upload-failed", error: "remote unwritable"),
        record("20261125T020000Z-5e6f", .succeeded, bytes: 204_800_000),
    ]

    static let listing = BackupListing(remote: "b2://ops-backups/opencode (key 0012…01)", backups: [
        BackupRemoteEntry(id: "20261127T020000Z-1a2b", createdAt: "2026-11-27T02:00:00.00Z", bytes: 209_725_440, state: "verified"),
        BackupRemoteEntry(id: "20261125T020000Z-5e6f", createdAt: "2026-11-25T02:00:00.00Z", bytes: 204_800_000, state: "verified"),
        BackupRemoteEntry(id: "20261120T020000Z-0000", createdAt: "2026-11-20T02:00:00.00Z", bytes: 1_048_576, state: "incomplete"),
    ])

    static func state(_ glyphs: GlyphMode, _ actions: [BackupsAction]) -> AppState {
        var state = AppState(glyphs: glyphs)
        state.focus = .backups
        for action in actions { state = update(state, .backups(action)).0 }
        return state
    }

    static let now = Date(timeIntervalSince1970: 1_795_684_000) // 2026-11-26T09:06:40Z
    static let loaded: [BackupsAction] = [
        .podChanged(target, reason: ""), .scheduleLoaded("0 2 * * *", at: now), .runsLoaded(history), .listingLoaded(listing),
    ]

    static func render(_ state: AppState, width: Int = 80, height: Int = 24) -> String {
        grid(state, width: width, height: height).text
    }

    /// The panel alone in its box, as drawn on a screen of this size (80×24 by default).
    static func grid(_ state: AppState, width: Int = 80, height: Int = 24) -> Grid {
        let layout = Layout(width: width, height: height, focus: .backups)
        let rect = layout.panels.first { $0.0 == .backups }!.1
        var grid = Grid(width: rect.width, height: rect.height)
        let glyphs = Glyphs.forMode(state.glyphs)
        let inner = Box.draw(into: &grid, Rect(x: 0, y: 0, width: rect.width, height: rect.height),
                             title: "3 Backups", focused: true, glyphs: glyphs)
        BackupsPanel.draw(into: &grid, inner, state: state, glyphs: glyphs)
        return grid
    }

    /// The panel with the console's clock at `time` (freshness counts from it).
    static func state(_ glyphs: GlyphMode, _ actions: [BackupsAction], at time: Date) -> AppState {
        update(state(glyphs, actions), .tick(time)).0
    }

    static func time(_ iso: String) -> Date { BackupFreshness.parseTime(iso)! }

    static let notEncrypted: BackupListing = {
        var warned = listing
        warned.warnings = ["not encrypted: BACKUP_PASSWORD is not set, so the archives on the remote are plain tar"]
        return warned
    }()

    /// Freshness states: `at` is the console's clock; the last good backup is 11-27 02:00.
    static let freshnessCases: [(String, [BackupsAction], Date)] = [
        ("fresh", loaded.dropLast() + [.listingLoaded(notEncrypted)], time("2026-11-28T05:30:00Z")),
        ("stale", loaded, time("2026-11-29T02:01:00Z")),
        ("stale-no-schedule", [.podChanged(target, reason: ""), .scheduleLoaded(nil, at: now), .runsLoaded(history), .listingLoaded(listing)],
         time("2026-11-28T14:00:01Z")),
        ("only-failures", [.podChanged(target, reason: ""), .scheduleLoaded(nil, at: now), .runsLoaded([history[1]]),
                           .listingLoaded(BackupListing(remote: "/srv/backups", backups: []))], time("2026-11-26T13:00:00Z")),
        ("drill", loaded + [.drillLoaded(BackupDrill(time: time("2026-11-27T04:00:00Z"), passed: true, backupID: "20261127T020000Z-1a2b"))],
         time("2026-11-28T05:30:00Z")),
        ("drill-failed", loaded + [.drillLoaded(BackupDrill(time: time("2026-11-27T04:00:00Z"), passed: false,
                                                            problem: "opencode/data/opencode.db differs"))], time("2026-11-28T05:30:00Z")),
        ("verify-drill", verifyActions(scheduled: true), time("2026-11-27T06:05:00Z")),
    ]

    static let cases: [(String, [BackupsAction])] = [
        ("no-pod", [.podChanged(nil, reason: "pod opencode does not exist")]),
        ("empty", [.podChanged(target, reason: ""), .scheduleLoaded(nil, at: now), .runsLoaded([]),
                   .listingLoaded(BackupListing(remote: "/srv/backups", backups: []))]),
        ("history", loaded),
        ("running", loaded + [.triggered(.started(id: "20261127T110000Z-aaaa")),
                              .runUpdated(record("20261127T110000Z-aaaa", .running, phase: "upload",
                                                 progress: BackupProgress(bytes: 94_371_840, total: 209_715_200, rate: 12_582_912, eta: 9, percent: 45)))]),
        ("failed", loaded + [.triggered(.started(id: "20261127T110000Z-aaaa")),
                             .runUpdated(record("20261127T110000Z-aaaa", .failed, errorKind: "disk-full", error: "staging full"))]),
        ("verify", verifyActions(scheduled: false)),
    ]

    /// A failed verify (a drill when `scheduled`) with its history row, and a verify in progress.
    static func verifyActions(scheduled: Bool) -> [BackupsAction] {
        var drillRun = record("verify-20261127T040000Z-9f9f", .failed, errorKind: "damaged",
                              error: "backup 20261127T020000Z-1a2b is damaged: opencode/data/x.json: sha256 mismatch",
                              trigger: scheduled ? "scheduled" : "manual")
        drillRun.kind = .verify
        drillRun.startedAt = "2026-11-27T04:00:00.00Z"
        drillRun.backupID = "20261127T020000Z-1a2b"
        let last = BackupVerifySummary(id: drillRun.id, backupID: "20261127T020000Z-1a2b", trigger: drillRun.trigger, result: "failed",
                                       error: "opencode/data/x.json: sha256 mismatch", at: "2026-11-27T04:05:00.00Z", ageSeconds: 7_200)
        var drilled = listing
        drilled.drill = BackupDrillReport(schedule: "0 4 * * *", last: scheduled ? last : nil, lastVerify: last)
        return [.podChanged(target, reason: ""), .scheduleLoaded("0 2 * * *", at: now), .runsLoaded([drillRun] + history),
                .listingLoaded(drilled), .verifyProgress(backupID: "20261125T020000Z-5e6f", line: "download 45% 90.0 MB/200.0 MB")]
    }

    @Test(arguments: 0..<6)
    func panel(index: Int) {
        let (name, actions) = Self.cases[index]
        for (mode, label) in Self.modes {
            let grid = Self.grid(Self.state(mode, actions))
            let text = grid.text
            GoldenFile.check(grid, named: "backups-\(name)-80x24-\(label)")
            if mode == .ascii { #expect(text.allSatisfy { $0.isASCII }, "non-ASCII in \(name)") }
        }
    }

    @Test(arguments: 0..<7)
    func freshness(index: Int) {
        let (name, actions, time) = Self.freshnessCases[index]
        for (mode, label) in Self.modes {
            let grid = Self.grid(Self.state(mode, actions, at: time))
            let text = grid.text
            GoldenFile.check(grid, named: "backups-freshness-\(name)-80x24-\(label)")
            if mode == .ascii { #expect(text.allSatisfy { $0.isASCII }, "non-ASCII in \(name)") }
        }
    }

    /// The freshness line's role: ok when fresh, fail when stale or only failures; the
    /// "not encrypted" warning in the warning role.
    @Test func freshnessAndEncryptionRoles() {
        func role(_ caseIndex: Int, lineContaining needle: String) -> StyleRole? {
            let (_, actions, time) = Self.freshnessCases[caseIndex]
            let grid = Self.grid(Self.state(.ascii, actions, at: time))
            let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
            guard let y = lines.firstIndex(where: { $0.contains(needle) }),
                  let x = lines[y].range(of: needle).map({ lines[y].distance(from: lines[y].startIndex, to: $0.lowerBound) }) else { return nil }
            return grid[x, y].role
        }
        #expect(role(0, lineContaining: "last good 27 h ago, max 48 h") == .ok)
        #expect(role(0, lineContaining: "not encrypted") == .warn)
        #expect(role(1, lineContaining: "last good 48 h ago: over max 48 h") == .fail)
        #expect(role(2, lineContaining: "last good 36 h ago: over max 36 h") == .fail)
        #expect(role(3, lineContaining: "no good backup: all runs failed") == .fail)
        #expect(role(4, lineContaining: "last drill 25 h ago: passed") == .ok)
        #expect(role(5, lineContaining: "last drill 25 h ago: FAILED") == .fail)
    }

    @Test func runningShowsPhaseBytesRateEtaAndBar() {
        let text = Self.render(Self.state(.unicode, Self.cases[3].1))
        #expect(text.contains("upload 90.0 MB/200.0 MB 12.0 MB/s"))
        #expect(text.contains("█") && text.contains(" 45% ETA 9 s"))
    }

    @Test func notEncryptedShowsAsAWarningUnderTheRemote() {
        var warned = Self.listing
        warned.warnings = ["not encrypted: BACKUP_PASSWORD is not set, so the archives on the remote are plain tar"]
        let actions = Self.loaded.dropLast() + [.listingLoaded(warned)]
        let state = Self.state(.ascii, Array(actions))
        let text = Self.render(state)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = lines.firstIndex { $0.contains("! not encrypted") }
        #expect(index != nil)
        #expect(index.map { lines[$0 - 1].contains("to b2://ops-backups/opencode") } == true)
        #expect(!Self.render(Self.state(.ascii, Self.loaded)).contains("not encrypted"))
    }

    /// Two runs in one minute, each trigger, each verification level and a restore: every row
    /// says which run it is, when to the second, how it started and how far it was checked.
    static let distinct: [BackupsAction] = {
        func verified(_ id: String, _ trigger: String, _ level: String, bytes: Int) -> BackupRunRecord {
            var run = record(id, .succeeded, bytes: bytes, trigger: trigger)
            run.verification = BackupVerification(level: level)
            return run
        }
        let restore = BackupRunRecord(id: "restore-20261128T202606Z-683c", kind: .restore, startedAt: "2026-11-28T20:26:06.10Z",
                                      phase: "done", result: .succeeded, backupID: "20261128T202535Z-e7d1")
        let runs = [restore,
                    verified("20261128T202535Z-e7d1", "manual", "remote md5", bytes: 40_960),
                    verified("20261128T202512Z-9f00", "manual", "size + part hashes", bytes: 40_960),
                    verified("20261128T020000Z-1a2b", "scheduled", "remote sha1", bytes: 209_725_440)]
        let listing = BackupListing(remote: "/srv/backups", backups: [
            BackupRemoteEntry(id: "20261128T202535Z-e7d1", createdAt: "2026-11-28T20:25:35.00Z", bytes: 40_960, state: "verified"),
            BackupRemoteEntry(id: "20261128T202512Z-9f00", createdAt: "2026-11-28T20:25:12.00Z", bytes: 40_960, state: "verified"),
            BackupRemoteEntry(id: "20261128T020000Z-1a2b", createdAt: "2026-11-28T02:00:00.00Z", bytes: 209_725_440, state: "verified"),
            BackupRemoteEntry(id: "20261120T020000Z-0000", createdAt: "2026-11-20T02:00:00.00Z", bytes: 1_048_576, state: "verified",
                              localRun: .init(result: "succeeded", trigger: "scheduled", verified: true, verification: "remote md5")),
        ])
        return [.podChanged(target, reason: ""), .scheduleLoaded("0 2 * * *", at: now), .runsLoaded(runs), .listingLoaded(listing)]
    }()

    @Test func rowsSayWhichRunWhenHowStartedAndHowChecked() {
        for (width, height) in [(80, 24), (120, 36)] {
            for (mode, label) in Self.modes {
                let grid = Self.grid(Self.state(mode, Self.distinct), width: width, height: height)
                GoldenFile.check(grid, named: "backups-rows-\(width)x\(height)-\(label)")
                let text = grid.text
                #expect(text.contains("e7d1 11-28 20:25:35 verified md5"))
                #expect(text.contains("9f00 11-28 20:25:12 verified size"))
                #expect(text.contains("683c 11-28 20:26:06 restored e7d1"))
                if width == 120 {
                    #expect(text.contains("1a2b 11-28 02:00:00 verified sha1 scheduled 200.0 MB"))
                    #expect(text.contains("restore"))
                }
            }
        }
    }

    /// The pod is down: the cached listing with its age while a one-off container lists the
    /// remote, then the one-off's listing; the headline says restore needs the pod.
    @Test func podDownListsFromTheCacheThenFromAOneOffContainer() {
        let saved = Date(timeIntervalSince1970: 1_795_684_000 - 720)
        let down: [BackupsAction] = [.podChanged(nil, reason: "pod opencode does not exist"),
                                     .offlineListed(Self.listing, source: .cache(savedAt: saved))]
        for (mode, label) in Self.modes {
            var state = Self.state(mode, down)
            state = update(state, .tick(Self.now)).0
            GoldenFile.check(Self.grid(state), named: "backups-pod-down-cached-80x24-\(label)")
            let cached = Self.render(state)
            #expect(cached.contains("cached 12 min ago; listing again"))
            #expect(cached.contains("pod down; restore needs it up (u)"))
            state = update(state, .backups(.offlineListed(Self.listing, source: .oneOff(at: Self.now)))).0
            GoldenFile.check(Self.grid(state), named: "backups-pod-down-one-off-80x24-\(label)")
            let listed = Self.render(state)
            #expect(listed.contains("one-off listing at 11-26 09:06 UTC"))
            #expect(listed.contains("1a2b 11-27 02:00:00 verified"))
        }
    }

    @Test func credentialsNeverShow() {
        let text = Self.render(Self.state(.unicode, Self.loaded))
        #expect(text.contains("b2://ops-backups/opencode"))
        #expect(!text.contains("0012"), "not even the masked key id")
    }
}

/// The restore's second step over the main screen: the typed answer's input and its keys.
@Suite struct RestoreConfirmationGoldenTests {
    @Test func secondStepAsksForTheShortID() {
        for (mode, label) in BackupsPanelGoldenTests.modes {
            var state = Fixtures.state(width: 80, height: 24, glyphs: mode)
            for action in BackupsPanelGoldenTests.loaded { state = update(state, .backups(action)).0 }
            let plan = BackupRestorePlan(id: "20261127T020000Z-1a2b", parts: ["data"], overwrite: [], sidecars: [])
            state = update(state, .backups(.planLoaded(plan))).0
            for key: Key in [.character("y"), .character("1"), .character("a")] { state = update(state, .key(key)).0 }
            let grid = MainView.render(state)
            #expect(grid.text.contains("1a2b") && grid.text.contains("> 1a"))
            GoldenFile.check(grid, named: "restore-typed-confirmation-80x24-\(label)")
        }
    }
}
