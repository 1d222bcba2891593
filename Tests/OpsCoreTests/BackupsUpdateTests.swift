import Foundation
import Testing
@testable import OpsCore

@Suite struct BackupsUpdateTests {
    typealias F = BackupFixtures

    func loaded() -> AppState {
        var state = AppState()
        state.focus = .backups
        for action: BackupsAction in [.podChanged(F.target, reason: ""), .runsLoaded(F.runs), .listingLoaded(F.listing)] {
            state = update(state, .backups(action)).0
        }
        return state
    }

    func send(_ actions: [Action], to state: AppState) -> (AppState, [Effect]) {
        actions.reduce((state, [Effect]())) { result, action in
            let (next, effects) = update(result.0, action)
            return (next, result.1 + effects)
        }
    }

    @Test func podComingUpAsksForHistoryListingAndSchedule() {
        let (state, effects) = update(AppState(), .backups(.podChanged(F.target, reason: "")))
        #expect(effects == [.backups(.refresh(F.target))])
        #expect(state.backups.target == F.target)
        // The same target again changes nothing and asks for nothing.
        #expect(update(state, .backups(.podChanged(F.target, reason: ""))).1.isEmpty)
    }

    @Test func podGoingAwayClearsTheHistory() {
        let state = update(loaded(), .backups(.podChanged(nil, reason: "opencode-opencode is not running"))).0
        #expect(state.backups.rows.isEmpty)
        #expect(state.backups.pod == .absent(reason: "opencode-opencode is not running"))
    }

    @Test func recordsAndListingMergeNewestFirstWithVerification() {
        let rows = loaded().backups.rows
        #expect(rows.map(\.id) == ["20261127T020000Z-1a2b", "20261126T120000Z-3c4d", "20261125T020000Z-5e6f", "20261120T020000Z-0000"])
        #expect(rows.map(\.statusWord) == ["verified", "failed upload", "verified", "incomplete"])
        #expect(rows[0].bytes == 209_725_440 && rows[0].trigger == "scheduled" && rows[0].hasLog)
        #expect(!rows[3].hasLog)
        #expect(rows.map(\.isRestorable) == [true, false, true, false])
    }

    @Test func aSucceededRunMissingFromTheListingIsNotShownAsVerified() {
        var state = loaded()
        state = update(state, .backups(.listingLoaded(BackupListing(remote: "/remote", backups: [])))).0
        #expect(state.backups.rows.first?.status == .notListed)
    }

    @Test func listingWarningsAreKeptUntilAListingWithoutThem() throws {
        let json = #"{"schema": 1, "remote": "/srv/backups", "encrypted": false, "backups": [],"#
            + #" "warnings": ["not encrypted: BACKUP_PASSWORD is not set"]}"#
        let listing = try JSONDecoder().decode(BackupListing.self, from: Data(json.utf8))
        #expect(listing.encrypted == false)
        var state = update(loaded(), .backups(.listingLoaded(listing))).0
        #expect(state.backups.remoteWarnings == ["not encrypted: BACKUP_PASSWORD is not set"])
        state = update(state, .backups(.listingLoaded(BackupListing(remote: "/srv/backups", encrypted: true, backups: [])))).0
        #expect(state.backups.remoteWarnings.isEmpty)
    }

    @Test func scheduleGivesTheNextRun() {
        let now = Date(timeIntervalSince1970: 1795684000) // 2026-11-26T09:06:40Z
        let state = update(loaded(), .backups(.scheduleLoaded("0 2 * * *", at: now))).0
        #expect(state.backups.nextRun.map(BackupFormat.shortTime) == "11-27 02:00 UTC")
        let bad = update(loaded(), .backups(.scheduleLoaded("0 25 * * *", at: now))).0
        #expect(bad.backups.scheduleProblem?.contains("bad hour field") == true)
        #expect(bad.backups.nextRun == nil)
    }

    @Test func triggerIsConfirmedNamingTheRemoteThenRunsAndFollows() {
        var (state, effects) = update(loaded(), .key(.character("B")))
        guard case .confirm(let confirmation)? = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(confirmation.operation == .backupNow)
        #expect(confirmation.lines.joined(separator: " ").contains("/remote"))
        #expect(effects.isEmpty)
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects == [.backups(.trigger(F.target))])
        (state, effects) = update(state, .backups(.triggered(.started(id: "20261127T110000Z-aaaa"))))
        #expect(effects == [.backups(.follow(F.target, runID: "20261127T110000Z-aaaa"))])
        #expect(state.backups.active?.id == "20261127T110000Z-aaaa")
        #expect(state.backups.rows.first?.status == .running(phase: "starting"))
    }

    @Test func progressUpdatesTheActiveRunAndTheEndRefreshes() {
        var state = update(loaded(), .backups(.triggered(.started(id: "20261127T110000Z-aaaa")))).0
        let running = F.record("20261127T110000Z-aaaa", result: .running, phase: "upload", progress: F.progress)
        state = update(state, .backups(.runUpdated(running))).0
        #expect(state.backups.active?.progress?.fraction == 0.45)
        #expect(BackupFormat.progressLine(state.backups.active!) == "upload 45% 90.0 MB/200.0 MB 12.0 MB/s ETA 9 s")
        let done = F.record("20261127T110000Z-aaaa", result: .succeeded, verified: true, bytes: 209_725_440)
        let (ended, effects) = update(state, .backups(.runUpdated(done)))
        #expect(ended.backups.active == nil)
        #expect(effects == [.backups(.refresh(F.target))])
        #expect(ended.messages.last == "backup 20261127T110000Z-aaaa verified")
        #expect(ended.backups.runs.first?.id == "20261127T110000Z-aaaa")
    }

    @Test func aFailedRunSaysWhy() {
        var state = update(loaded(), .backups(.triggered(.started(id: "20261127T110000Z-aaaa")))).0
        let failed = F.record("20261127T110000Z-aaaa", result: .failed, errorKind: "disk-full", error: "staging filesystem full")
        state = update(state, .backups(.runUpdated(failed))).0
        #expect(state.messages.last == "backup 20261127T110000Z-aaaa failed: staging filesystem full")
        #expect(state.backups.rows.first?.statusWord == "failed disk-full")
    }

    @Test func aSecondTriggerWhileOneRunsNamesTheRunningOne() {
        var state = update(loaded(), .backups(.triggered(.started(id: "20261127T110000Z-aaaa")))).0
        let (next, effects) = update(state, .key(.character("B")))
        #expect(next.overlay == nil)
        #expect(effects.isEmpty)
        #expect(next.messages.last?.contains("already running: 20261127T110000Z-aaaa") == true)
        // A trigger from elsewhere refused by the script's lock: its words, and the running one is followed.
        state = loaded()
        let (busy, followed) = update(state, .backups(.triggered(.busy(runningID: "20261127T105900Z-bbbb", message: "another backup is running: 20261127T105900Z-bbbb (trigger scheduled)"))))
        #expect(busy.messages.last?.contains("20261127T105900Z-bbbb") == true)
        #expect(followed == [.backups(.follow(F.target, runID: "20261127T105900Z-bbbb"))])
    }

    @Test func aRunningRecordFromCronIsFollowed() {
        let running = F.record("20261127T020000Z-cron", result: .running, phase: "snapshot", trigger: "scheduled")
        let (state, effects) = update(update(AppState(), .backups(.podChanged(F.target, reason: ""))).0, .backups(.runsLoaded([running] + F.runs)))
        #expect(effects == [.backups(.follow(F.target, runID: "20261127T020000Z-cron"))])
        #expect(state.backups.active?.trigger == "scheduled")
    }

    @Test func restoreIsConfirmedTwiceNamingWhatIsOverwritten() {
        var (state, effects) = update(loaded(), .key(.character("R")))
        #expect(effects == [.backups(.planRestore(F.target, backupID: "20261127T020000Z-1a2b"))])
        let plan = BackupRestorePlan(
            id: "20261127T020000Z-1a2b", host: "opencode", parts: ["data", "falkordb"],
            overwrite: [.init(part: "data", path: "/root/.local/share/opencode", files: 812, existingFilesOverwritten: 790)],
            sidecars: [.init(service: "falkordb", replaces: "the whole falkordb dataset (after the console restarts it)")]
        )
        state = update(state, .backups(.planLoaded(plan))).0
        guard case .confirm(let first)? = state.overlay else {
            Issue.record("no first confirmation")
            return
        }
        #expect(first.operation == .restore(backupID: "20261127T020000Z-1a2b", step: 1))
        let text = first.lines.joined(separator: "\n")
        #expect(text.contains("/root/.local/share/opencode, 812 files (790 existing overwritten)"))
        #expect(text.contains("the whole falkordb dataset"))
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects.isEmpty)
        guard case .confirm(let second)? = state.overlay else {
            Issue.record("no second confirmation")
            return
        }
        #expect(second.operation == .restore(backupID: "20261127T020000Z-1a2b", step: 2))
        #expect(second.typedAnswers == ["1a2b", "restore"])
        (state, effects) = send(["1", "a", "2", "b"].map { .key(.character($0)) } + [.key(.enter)], to: state)
        #expect(effects == [.jobs(.start(JobRequest(kind: .restore, target: .backup(id: "20261127T020000Z-1a2b"))))])
        #expect(state.backups.restoring == "20261127T020000Z-1a2b")
        let (ended, refresh) = update(state, .backups(.restoreEnded(backupID: "20261127T020000Z-1a2b", problem: nil)))
        #expect(ended.backups.restoring == nil)
        #expect(refresh == [.backups(.refresh(F.target))])
    }

    func planned() -> AppState {
        update(loaded(), .backups(.planLoaded(BackupRestorePlan(id: "20261127T020000Z-1a2b", parts: [], overwrite: [], sidecars: [])))).0
    }

    @Test func cancellingEitherConfirmationRestoresNothing() {
        let first = send([.key(.character("n"))], to: planned())
        #expect(first.1.isEmpty && first.0.overlay == nil && first.0.backups.restoring == nil)
        let second = send([.key(.character("y")), .key(.character("1")), .key(.escape)], to: planned())
        #expect(second.1.isEmpty && second.0.overlay == nil && second.0.backups.restoring == nil)
        #expect(second.0.messages.last?.hasPrefix("cancelled: Really restore") == true)
    }

    @Test func aDoubleTapOfYNeverRestores() {
        // y answers the first step; on the second, y and Enter are only a wrong answer.
        var (state, effects) = send([.key(.character("y")), .key(.character("y")), .key(.enter)], to: planned())
        #expect(effects.isEmpty && state.backups.restoring == nil)
        guard case .confirm(let confirmation)? = state.overlay else {
            Issue.record("the typed confirmation closed on a wrong answer")
            return
        }
        #expect(confirmation.typed.isEmpty)
        #expect(state.messages.last == "not confirmed: type 1a2b or restore, then Enter (Esc cancels)")
        (state, effects) = send([.key(.character("y")), .key(.enter), .key(.character("y")), .key(.character("y"))], to: state)
        #expect(effects.isEmpty && state.backups.restoring == nil)
    }

    @Test func theTypedAnswerIsEditedAndTheWordRestoreWorksToo() {
        var (state, effects) = send([.key(.character("y"))], to: planned())
        (state, effects) = send("restorx".map { .key(.character($0)) } + [.key(.backspace), .key(.character("e"))], to: state)
        guard case .confirm(let confirmation)? = state.overlay else {
            Issue.record("no typed confirmation")
            return
        }
        #expect(confirmation.typed == "restore" && effects.isEmpty)
        (state, effects) = send([.key(.enter)], to: state)
        #expect(effects == [.jobs(.start(JobRequest(kind: .restore, target: .backup(id: "20261127T020000Z-1a2b"))))])
        // Case and surrounding spaces do not matter; the short id is the id's random suffix.
        #expect(BackupFormat.shortID("20261127T020000Z-1a2b") == "1a2b")
        #expect(BackupFormat.shortID("plain") == "plain")
        var typed = Confirmation(title: "t", lines: [], operation: .podUp, typedAnswers: ["1a2b", "restore"])
        typed.typed = " RESTORE "
        #expect(typed.typedAnswerMatches)
        typed.typed = "1a2"
        #expect(!typed.typedAnswerMatches)
    }

    @Test func onlyVerifiedBackupsCanBeRestored() {
        var state = loaded()
        state = update(state, .key(.character("j"))).0
        let (next, effects) = update(state, .key(.character("R")))
        #expect(effects.isEmpty)
        #expect(next.messages.last?.contains("only verified backups are") == true)
    }

    @Test func enterOpensTheLogOfARunAsAPage() {
        var (state, effects) = update(loaded(), .key(.enter))
        #expect(effects == [.backups(.loadLog(F.target, runID: "20261127T020000Z-1a2b"))])
        state = update(state, .backups(.logLoaded(runID: "20261127T020000Z-1a2b", lines: ["phase snapshot", "result succeeded"]))).0
        #expect(state.overlay == .page(TextPage(title: "run 20261127T020000Z-1a2b log", lines: ["phase snapshot", "result succeeded"])))
    }

    @Test func readonlyRefusesBackupAndRestore() {
        var state = loaded()
        state.settings.readonly = true
        for key in ["B", "R"] {
            let (next, effects) = update(state, .key(.character(Character(key))))
            #expect(effects.isEmpty && next.overlay == nil)
        }
    }

    @Test func withoutAPodNothingRuns() {
        var state = AppState()
        state.focus = .backups
        let (next, effects) = update(state, .key(.character("B")))
        #expect(effects.isEmpty && next.overlay == nil)
        #expect(next.messages.last?.hasPrefix("no pod running") == true)
    }

    @Test func filterNarrowsTheRowsRestoreActsOn() {
        var state = loaded()
        state.positions[.backups] = ListPosition(selection: 0, filter: "5e6f")
        let effects = update(state, .key(.character("R"))).1
        #expect(effects == [.backups(.planRestore(F.target, backupID: "20261125T020000Z-5e6f"))])
    }
}

@Suite struct BackupCronScheduleTests {
    let now = Date(timeIntervalSince1970: 1795684000) // Thursday 2026-11-26T09:06:40Z

    func next(_ expression: String) -> String? {
        BackupCronSchedule(expression)?.nextRun(after: now).map(BackupFormat.shortTime)
    }

    @Test func commonSchedules() {
        #expect(next("0 2 * * *") == "11-27 02:00 UTC")
        #expect(next("*/15 * * * *") == "11-26 09:15 UTC")
        #expect(next("30 9 * * *") == "11-26 09:30 UTC")
        #expect(next("0 3 * * 0") == "11-29 03:00 UTC")   // Sunday
        #expect(next("0 3 * * 7") == "11-29 03:00 UTC")   // 7 is Sunday too
        #expect(next("0 0 1 * *") == "12-01 00:00 UTC")
        #expect(next("@daily") == "11-27 00:00 UTC")
        #expect(next("0 12 * * 1-5") == "11-26 12:00 UTC")
        #expect(next("0 0 29 2 *") == "02-29 00:00 UTC" || next("0 0 29 2 *") == nil)
    }

    @Test func namesListsAndStepsMeanWhatCronMakesOfThem() {
        #expect(next("0 3 * * mon") == "11-30 03:00 UTC")       // Thursday now: next Monday
        #expect(next("0 3 * * SAT,sun") == "11-28 03:00 UTC")
        #expect(next("0 0 1 jan-mar *") == "01-01 00:00 UTC")
        #expect(next("0 9-17/4 * * *") == "11-26 13:00 UTC")
        #expect(next("0 0 * * 5-7") == "11-27 00:00 UTC")       // Friday through Sunday
        // A day field starting with * does not restrict the day: only Mondays here, as in cron.
        #expect(next("0 0 */1 * mon") == "11-30 00:00 UTC")
    }

    @Test func rebootIsAScheduleWithoutANextTime() throws {
        let reboot = try BackupCronSchedule.parse("@reboot").get()
        #expect(reboot.runsOnlyAtStart)
        #expect(reboot.nextRun(after: now) == nil)
        #expect(try BackupCronSchedule.parse("@daily").get().runsOnlyAtStart == false)
    }

    @Test func badExpressionsNameTheField() {
        for (expression, field) in [("0 2 * *", "expected 5 fields"), ("61 * * * *", "minute"), ("* * 0 * *", "day"), ("* * * 13 *", "month"), ("*/0 * * * *", "minute")] {
            guard case .failure(let problem) = BackupCronSchedule.parse(expression) else {
                Issue.record("\(expression) accepted")
                continue
            }
            #expect(problem.message.contains(field), "\(expression): \(problem.message)")
        }
    }
}
