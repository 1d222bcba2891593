import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// Pages and dialogs that hold data, worded by OpsUI from the state as it is at each frame: a
/// probe's history and the build history update while they are open.
@Suite struct DataPageTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func result(_ id: ProbeID, _ status: ProbeStatus, at seconds: Double, latency: Double? = 0.01, error: String? = nil) -> ProbeResult {
        ProbeResult(probe: id, status: status, latency: latency, detail: "d", error: error, time: t0.addingTimeInterval(seconds))
    }

    static func send(_ actions: [Action], to state: AppState) -> AppState {
        actions.reduce(state) { update($0, $1).0 }
    }

    @Test func aProbesPageShowsItsLatestResultHistoryAndChanges() {
        let state = Self.send([
            .health(.started([.opencode, .podmanHealth])),
            .health(.result(Self.result(.podmanHealth, .ok, at: 0, latency: 0.08))),
            .health(.result(Self.result(.podmanHealth, .failing, at: 65, latency: 0.09, error: "last check: 404"))),
            .key(.character("j")),
            .key(.enter),
        ], to: AppState())
        let lines = ProbePage.lines(for: .podmanHealth, in: state.health, now: state.healthNow)
        #expect(lines.contains("status:      failing"))
        #expect(lines.contains("error:       last check: 404"))
        #expect(lines.contains("latency:     90 ms"))
        #expect(lines.contains { $0.hasPrefix("just now") && $0.contains("failing") })
        #expect(lines.contains { $0.hasPrefix("1m ago") && $0.contains("ok") })
        #expect(lines.contains { $0.contains("ok -> failing: last check: 404") })
        #expect(lines.contains { $0.contains("start -> ok") })
        #expect(MainView.render(state).text.contains("Healthcheck (podman-health) (/ search, Esc closes"))
    }

    @Test func anOpenProbePageShowsANewResultAsItComes() throws {
        var state = Self.send([
            .resize(width: 80, height: 24),
            .health(.started([.opencode])),
            .health(.result(Self.result(.opencode, .ok, at: 0))),
            .tick(Self.t0.addingTimeInterval(1)),
            .key(.enter),
        ], to: AppState())
        #expect(state.overlay == .page(TextPage(title: "OpenCode HTTP (opencode)", content: .probe(.opencode))))
        let before = MainView.render(state).text
        #expect(before.contains("HISTORY (newest first, 1 of"))
        #expect(!before.contains("connection refused"))

        state = Self.send([
            .health(.result(Self.result(.opencode, .failing, at: 30, error: "connection refused"))),
            .tick(Self.t0.addingTimeInterval(31)),
        ], to: state)
        guard case .page(let page)? = state.overlay, page.content == .probe(.opencode) else { Issue.record("the page closed"); return }
        let after = MainView.render(state).text
        #expect(after.contains("status:      failing"))
        #expect(after.contains("HISTORY (newest first, 2 of"))
        #expect(after.contains("ok -> failing: connection refused"))
        #expect(after.contains("last run:    1s ago"))

        // As the loop does: the new lines reach the core, and search finds the new result.
        let worded = try #require(PageWording.news(for: state))
        state = Self.send([worded] + ["/", "r", "e", "f", "u", "s", "e", "d"].map { .key(.character($0)) } + [.key(.enter)], to: state)
        #expect(PageWording.news(for: state) == nil)
        #expect(MainView.render(state).text.contains("/refused  match 1 of"))
    }

    @Test func detailsWithoutAClockCountFromTheLatestResult() {
        var health = HealthState()
        health.record(ProbeResult(probe: .b2, status: .ok, time: Self.t0))
        #expect(ProbePage.lines(for: .b2, in: health, now: nil).contains("last run:    just now"))
    }

    @Test func latenciesAndAgesAreShort() {
        #expect(HealthFormat.latency(nil) == "-")
        #expect(HealthFormat.latency(0.0123) == "12 ms")
        #expect(HealthFormat.latency(2.25) == "2.2 s" || HealthFormat.latency(2.25) == "2.3 s")
        #expect(HealthFormat.ago(Self.t0, now: Self.t0) == "just now")
        #expect(HealthFormat.ago(Self.t0, now: Self.t0.addingTimeInterval(59)) == "59s ago")
        #expect(HealthFormat.ago(Self.t0, now: Self.t0.addingTimeInterval(3600 * 5)) == "5h ago")
    }

    static let history = [
        PodmanBuildRecord(startedAt: BuildReducerFixture.now, duration: 42, result: .succeeded, imageID: "0123456789abcdef", tag: "x"),
        PodmanBuildRecord(startedAt: BuildReducerFixture.now.addingTimeInterval(60), duration: 3, result: .failed, imageID: nil, tag: "x", message: "bad"),
    ]

    static func historyState(_ glyphs: GlyphMode = .unicode) -> AppState {
        var state = Fixtures.state(width: 80, height: 24, glyphs: glyphs)
        state.focus = .build
        state.build.source = .build
        return send([.build(.history(history)), .key(.enter)], to: state)
    }

    @Test func theBuildHistoryListsNewestFirstAndFollowsANewBuild() {
        var state = Self.historyState()
        #expect(state.overlay == .page(TextPage(title: "Build history", content: .buildHistory)))
        let rows = MainView.render(state).text.split(separator: "\n").map(String.init)
        let header = rows.firstIndex { $0.contains(BuildHistoryPage.header) }
        #expect(header != nil)
        if let header {
            #expect(rows[header + 1].contains("failed") && rows[header + 1].contains("bad"))
            #expect(rows[header + 2].contains("2023-11-14 22:13:20   42 s       succeeded   0123456789ab"))
        }
        // A build that ends while the page is open: the history is loaded again, and shows.
        let newer = PodmanBuildRecord(startedAt: BuildReducerFixture.now.addingTimeInterval(600), duration: 75, result: .succeeded,
                                      imageID: "feedface00001111", tag: "x")
        state = update(state, .build(.history(Self.history + [newer]))).0
        #expect(state.overlay == .page(TextPage(title: "Build history", content: .buildHistory)))
        let after = MainView.render(state).text
        #expect(after.contains("2023-11-14 22:23:20   1 min 15 s succeeded   feedface0000"))
    }

    @Test func theRestorePlanIsWordedFromThePlan() {
        let plan = BackupRestorePlan(
            id: "20261127T020000Z-1a2b", host: "ops-1", parts: ["data", "falkordb"],
            overwrite: [.init(part: "data", path: "/root/.local/share/opencode", files: 12, existingFilesOverwritten: 3)],
            sidecars: [.init(service: "falkordb", replaces: "the graph dump")]
        )
        #expect(ConfirmationText.lines(for: .restorePlan(plan), in: AppState()) == [
            "Backup 20261127T020000Z-1a2b from ops-1 will overwrite:",
            "  data: /root/.local/share/opencode, 12 files (3 existing overwritten)",
            "  falkordb: the graph dump",
            "The sidecars are stopped, loaded and started again.",
        ])
    }

    static let reference = "localhost/team/opencode:latest"

    static let inventory = ImageInventory(reference: reference, listed: [
        ListedImage(id: "current-id", tags: [reference], size: 500, createdAt: t0),
        ListedImage(id: "leftover-id", size: 200, createdAt: t0 - 180, dangling: true,
                    formerNames: ["localhost/team/opencode:previous"]),
        ListedImage(id: "stranger-id", size: 100, dangling: true, formerNames: ["localhost/other/app:latest"]),
    ], takenAt: t0)

    static let applyPlan = PodmanApplyPlan(pod: "opencode", changes: [
        PodmanApplyChange(role: .opencode, container: "opencode-opencode", reasons: ["variables changed: OPS_TOKEN"]),
    ])

    @Test func thePruneAndApplyDialogsAreWordedFromTheirData() {
        #expect(ConfirmationText.lines(for: .prune(Self.inventory), in: AppState()) == [
            "Removes 1 image of localhost/team/opencode:latest, freeing up to 200 B:",
            "  leftover-id  dangling  200 B",
            "Kept: the configured image, :previous, images any container uses, and every volume.",
        ])
        #expect(ConfirmationText.lines(for: .applyPlan(Self.applyPlan), in: AppState()) == [
            "Recreates, keeping the pod and every volume:",
            "  opencode-opencode: variables changed: OPS_TOKEN",
            "A container that does not become healthy is put back as it was.",
        ])
    }

    static func podUp() -> AppState {
        BuildPanelGoldenTests.podUp(Fixtures.state(width: 80, height: 24, glyphs: .unicode))
    }

    @Test func podDialogsAreWordedFromThePodAsItIsNow() {
        let state = Self.podUp()
        let down = ConfirmationText.lines(for: .podDown, in: state).joined(separator: "\n")
        #expect(down.contains("Removes the pod and its containers: opencode-opencode, opencode-falkordb, opencode-valkey."))
        #expect(down.contains("opencode-opencode-data"))
        let rebuild = ConfirmationText.lines(for: .rebuild, in: state).joined(separator: " ")
        #expect(rebuild.contains("Then replaces container opencode-opencode (image localhost/opencode-server:latest, abcdef123456)"))
        #expect(rebuild.contains("The old image stays as localhost/opencode-server:previous for rollback."))
        let pick = ConfirmationText.lines(for: .restartChoice, in: state)
        #expect(pick.contains("f  FalkorDB (opencode-falkordb, running)"))

        // While the dialog is open the pod goes away: the dialog says so at the next frame.
        var gone = update(state, .key(.character("b"))).0
        gone = update(gone, .pod(.watch(.snapshot(PodSnapshot(podName: "opencode", pod: nil, takenAt: Self.t0))))).0
        #expect(gone.overlay != nil)
        #expect(MainView.render(gone).text.contains("The pod is not up, so nothing is replaced."))
        #expect(ConfirmationText.lines(for: .restartChoice, in: gone).contains("f  FalkorDB (opencode-falkordb, missing)"))
    }

    @Test func theRollbackDialogNamesTheOffer() {
        var state = Self.podUp()
        state = update(state, .pod(.rollbackOffered(RollbackOffer(container: "opencode-opencode", reason: "not healthy after 6 s",
                                                                  previousTag: "localhost/opencode-server:previous")))).0
        #expect(ConfirmationText.lines(for: .rollback, in: state) == [
            "opencode-opencode is not healthy: not healthy after 6 s",
            "Tags localhost/opencode-server:previous as localhost/opencode-server:latest again and replaces container opencode-opencode with it; volumes are kept.",
        ])
    }

    @Test func quittingNamesTheRunningJobsAndHowToSeeThemAgain() {
        var state = AppState()
        state.jobs.jobs = [JobStatus(id: "j1", kind: .backup, arguments: [], user: "ops", sshClient: nil, pid: 1, startedAt: Self.t0)]
        #expect(ConfirmationText.lines(for: .runningJobs, in: state) == [
            "backup job j1 is running (started by ops).",
            "It keeps running after you quit, and its result is recorded.",
            "See it again: open the console and press J, or run `opencode-ops jobs attach j1`.",
            "Quit now?",
        ])
    }

    @Test func backupBuildAndExecDialogsAreWordedFromSettingsAndState() {
        var state = Fixtures.state(width: 80, height: 24, glyphs: .unicode)
        state.settings.pod = "ops"
        let lines = { (detail: ConfirmationDetail) in ConfirmationText.lines(for: detail, in: state).joined(separator: " ") }
        #expect(lines(.sidecarChoice) == "f  FalkorDB (ops-falkordb) v  Valkey (ops-valkey)")
        #expect(lines(.build).hasPrefix("Builds ./Containerfile as localhost/opencode-server:latest."))
        #expect(lines(.backupNow).contains("upload to the remote configured in ops-opencode,"))
        for action in BackupsPanelGoldenTests.loaded { state = update(state, .backups(action)).0 }
        #expect(lines(.backupNow).contains("upload to b2://ops-backups/opencode (key 0012…01),"))
        #expect(lines(.verify).contains("manifest's sha256"))
        #expect(lines(.restoreAgain(backupID: "20261127T020000Z-1a2b")).contains("Type 1a2b (the backup's short id) or the word restore"))
    }

    @Test func theGuardNamesWhatIsInTheWayUntilItEnds() {
        var state = AppState()
        state.backups.isTriggering = true
        #expect(ConfirmationText.lines(for: .wait(.rebuild), in: state) == [
            "the backup being started is running.",
            "To rebuild now would kill it: the OpenCode container is stopped or its data replaced.",
            "y waits for it to end, then goes on (while this console stays open); n cancels.",
        ])
        state.backups.isTriggering = false
        #expect(ConfirmationText.lines(for: .wait(.rebuild), in: state).first == "What was in the way has ended.")
        #expect(ConfirmationText.lines(for: .restart(.valkey), in: state) == [
            "Stops opencode-valkey and starts it again: same container, same volumes.",
            "Clients lose their connection until it is back.",
        ])
    }

    @Test func environmentAndBackupPagesFollowTheirRows() {
        var state = Fixtures.state(width: 80, height: 24, glyphs: .unicode)
        state.focus = .environment
        state = update(state, .key(.enter)).0
        guard case .page(let page)? = state.overlay, case .environment(let name) = page.content else {
            Issue.record("no entry page: \(String(describing: state.overlay))"); return
        }
        let entry = try? #require(state.environment.first { $0.name == name })
        #expect(PageWording.lines(for: page.content, in: state)?.first == "value:  \(entry?.value ?? "?")")
        state.environment = []
        #expect(MainView.render(state).text.contains("not in the environment any more"))

        var backups = Fixtures.state(width: 80, height: 24, glyphs: .unicode)
        backups.focus = .backups
        for action in BackupsPanelGoldenTests.loaded { backups = update(backups, .backups(action)).0 }
        let id = "20261120T020000Z-0000"
        let lines = PageWording.lines(for: .backup(id: id), in: backups) ?? []
        #expect(lines.first == "id:      \(id)" && lines.contains("state:   incomplete"))
        #expect(lines.last?.hasPrefix("No run record here") == true)
        let row = backups.backups.rows.first { $0.id == id }
        #expect(PageWording.backupLines(row, podUp: false).last?.hasPrefix("The pod is down") == true)
        #expect(PageWording.backupLines(nil, podUp: true) == ["not listed any more"])
    }

    /// Styled goldens: the text and, beneath it, each cell's style role.
    @Test func goldens() {
        for (mode, label) in [(GlyphMode.unicode, "utf8"), (.ascii, "ascii")] {
            GoldenFile.check(MainView.render(Self.historyState(mode)), named: "build-history-80x24-\(label)")

            var probe = HealthFixtures.state(width: 80, height: 24, glyphs: mode)
            probe = Self.send([.key(.character("j")), .key(.character("j")), .key(.enter)], to: probe)
            GoldenFile.check(MainView.render(probe), named: "probe-history-80x24-\(label)")

            var restore = Fixtures.state(width: 80, height: 24, glyphs: mode)
            restore.focus = .backups
            for action in BackupsPanelGoldenTests.loaded { restore = update(restore, .backups(action)).0 }
            let plan = BackupRestorePlan(
                id: "20261127T020000Z-1a2b", host: "ops-1", parts: ["data", "falkordb", "valkey"],
                overwrite: [.init(part: "data", path: "/root/.local/share/opencode", files: 12, existingFilesOverwritten: 3)],
                sidecars: [.init(service: "falkordb"), .init(service: "valkey", replaces: "the Valkey dataset")]
            )
            restore = update(restore, .backups(.planLoaded(plan))).0
            GoldenFile.check(MainView.render(restore), named: "restore-plan-confirmation-80x24-\(label)")

            var apply = Fixtures.state(width: 80, height: 24, glyphs: mode)
            apply = update(apply, .pod(.applyPlanned(.success(Self.applyPlan)))).0
            GoldenFile.check(MainView.render(apply), named: "apply-confirmation-80x24-\(label)")

            var prune = Fixtures.state(width: 80, height: 24, glyphs: mode)
            prune = Self.send([.run(.prune), .images(.listed(.success(Self.inventory)))], to: prune)
            GoldenFile.check(MainView.render(prune), named: "prune-confirmation-80x24-\(label)")

            var rebuild = BuildPanelGoldenTests.podUp(Fixtures.state(width: 80, height: 24, glyphs: mode))
            rebuild = update(rebuild, .key(.character("b"))).0
            GoldenFile.check(MainView.render(rebuild), named: "rebuild-confirmation-80x24-\(label)")
        }
    }
}

/// The build reducer tests' clock, for records that read the same in both targets.
enum BuildReducerFixture {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
}
