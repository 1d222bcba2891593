import Foundation
import Testing
@testable import OpsCore

/// The Build & Logs reducer: build lines into progress, the bounded log buffer, follow and
/// pause, filter, confirmations and the rollback offer.
@Suite struct BuildReducerTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func container(_ role: PodmanRole, id: String, health: PodmanHealthStatus = .healthy) -> PodmanContainer {
        PodmanContainer(
            id: id, name: role.containerName(pod: "opencode"), image: "localhost/opencode-server:latest",
            imageID: "abcdef1234567890", state: .running, health: PodmanHealth(status: role == .opencode ? health : .none),
            startedAt: now.addingTimeInterval(-300), labels: [PodmanLabels.role: role.rawValue]
        )
    }

    static func snapshot(opencodeID: String = "c0ffee000001") -> PodmanWatchUpdate {
        let pod = PodmanPod(
            id: "pod1", name: "opencode", state: .running, labels: [PodmanLabels.managed: "true"],
            containers: [
                container(.opencode, id: opencodeID), container(.falkordb, id: "fa1"), container(.valkey, id: "va1"),
            ]
        )
        return .snapshot(PodSnapshot(podName: "opencode", pod: pod, takenAt: now))
    }

    static func state(logLines: Int = 2000) -> AppState {
        var settings = Settings()
        settings.logLines = logLines
        var state = AppState(settings: settings)
        state.focus = .build
        return state
    }

    func apply(_ actions: [Action], to state: AppState) -> (AppState, [Effect]) {
        actions.reduce((state, [Effect]())) { result, action in
            let (next, effects) = update(result.0, action)
            return (next, result.1 + effects)
        }
    }

    func line(_ text: String, elapsed: TimeInterval = 1, isError: Bool = false) -> Action {
        .build(.rebuild(.build(.line(PodmanBuildLine(text: text, isError: isError, progress: PodmanBuildProgress(line: text), elapsed: elapsed)))))
    }

    /// A state with a confirmed rebuild running.
    func rebuilding() -> AppState {
        var (state, _) = apply([.pod(.watch(Self.snapshot())), .key(.character("b"))], to: Self.state())
        #expect(state.overlay != nil)
        state = update(state, .key(.character("y"))).0
        return state
    }

    @Test func rebuildAsksFirstNamingTheContainerItReplaces() {
        let (state, effects) = apply([.pod(.watch(Self.snapshot())), .key(.character("b"))], to: Self.state())
        guard case .confirm(let confirmation)? = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(confirmation.operation == .rebuild)
        let text = confirmation.lines.joined(separator: " ")
        #expect(text.contains("opencode-opencode"))
        #expect(text.contains("abcdef123456"))
        #expect(text.contains("localhost/opencode-server:previous"))
        #expect(!effects.contains(.jobs(.start(JobRequest(kind: .rebuild, target: .image(tag: "localhost/opencode-server:latest"))))))

        let (cancelled, none) = apply([.key(.character("n"))], to: state)
        #expect(cancelled.overlay == nil && cancelled.build.run == nil)
        #expect(!none.contains(.jobs(.start(JobRequest(kind: .rebuild, target: .image(tag: "localhost/opencode-server:latest"))))))

        let (confirmed, started) = apply([.key(.character("y"))], to: state)
        #expect(started.contains(.jobs(.start(JobRequest(kind: .rebuild, target: .image(tag: "localhost/opencode-server:latest"))))))
        #expect(confirmed.build.run?.kind == .rebuild)
        #expect(confirmed.build.source == .build)
    }

    @Test func buildLinesBecomeProgressAndElapsedTime() {
        var state = rebuilding()
        state = apply([
            line("STEP 1/4: FROM scratch", elapsed: 0.5),
            line("STEP 2/4: COPY busybox /bin/busybox", elapsed: 1.2),
            line("--> 1234abcd", elapsed: 1.3),
            .build(.tick(elapsed: 3.4)),
        ], to: state).0
        #expect(state.build.run?.progress == PodmanBuildProgress(step: 2, total: 4, instruction: "COPY busybox /bin/busybox"))
        #expect(state.build.run?.elapsed == 3.4)
        #expect(state.build.entries.map(\.text) == ["STEP 1/4: FROM scratch", "STEP 2/4: COPY busybox /bin/busybox", "--> 1234abcd"])
        #expect(state.build.entries[1].stamp == "0:01")
    }

    @Test func aSecondBuildIsRefusedWhileOneRuns() {
        let state = rebuilding()
        let (next, effects) = apply([.key(.character("b"))], to: state)
        #expect(next.overlay == nil)
        #expect(effects.isEmpty)
        #expect(next.messages.last?.contains("rebuild is running") == true)
    }

    @Test func cancelIsConfirmedAndRefusedOnceTheBuildSucceeded() {
        var state = rebuilding()
        var (next, effects) = apply([.key(.character("x"))], to: state)
        guard case .confirm(let confirmation)? = next.overlay else {
            Issue.record("no confirmation for cancel")
            return
        }
        #expect(confirmation.operation == .cancelBuild)
        #expect(effects.isEmpty)
        (next, effects) = apply([.key(.character("y"))], to: next)
        #expect(effects == [.build(.cancel)])
        #expect(next.build.run?.isCancelling == true)

        state = update(state, .build(.rebuild(.build(.finished(.succeeded(imageID: "feedface0001", tag: "", duration: 4)))))).0
        (next, effects) = apply([.key(.character("x"))], to: state)
        #expect(next.overlay == nil)
        #expect(effects.isEmpty)
        #expect(next.messages.last?.contains("replacement runs to its end") == true)
    }

    @Test func notHealthyOffersRollbackWhichIsConfirmed() {
        var state = rebuilding()
        state = update(state, .build(.rebuild(.finished(.notHealthy(
            container: "opencode-opencode", imageID: "feedface0001", reason: "not healthy after 6 s",
            previousTag: "localhost/opencode-server:previous"
        ))))).0
        #expect(state.build.run == nil)
        #expect(state.pod.rollbackOffer?.previousTag == "localhost/opencode-server:previous")
        #expect(state.build.lastResult?.status == .fail)
        #expect(state.messages.last?.contains("rollback") == true)

        var (next, effects) = apply([.run(.rollback)], to: state)
        guard case .confirm(let confirmation)? = next.overlay else {
            Issue.record("rollback not confirmed")
            return
        }
        #expect(confirmation.operation == .rollback)
        #expect(confirmation.lines.joined().contains("not healthy after 6 s"))
        #expect(effects.isEmpty)
        (next, effects) = apply([.key(.character("y"))], to: next)
        #expect(effects == [.jobs(.start(JobRequest(kind: .rollback, target: .image(tag: "localhost/opencode-server:latest"))))])
        #expect(next.pod.operation == .rollback)
        next = update(next, .pod(.rollbackFinished(.success(.replaced(container: "opencode-opencode", imageID: "0ld1mage0001", healthy: true))))).0
        #expect(next.pod.rollbackOffer == nil)
        #expect(next.pod.operation == nil)
        #expect(next.build.lastResult?.status == .ok)
    }

    @Test func aHealthyReplacementOffersNoRollback() {
        var state = rebuilding()
        state = update(state, .build(.rebuild(.finished(.replaced(container: "opencode-opencode", imageID: "feedface0001", healthy: true))))).0
        #expect(state.pod.rollbackOffer == nil)
        #expect(state.build.lastResult == BuildResult(status: .ok, text: "healthy: opencode-opencode replaced, now runs feedface0001"))
    }

    @Test func aFailedBuildSaysWhyAndLeavesTheContainer() {
        var state = rebuilding()
        state = apply([
            line("STEP 4/4: THISISNOTANINSTRUCTION oops"),
            line("Error: unknown instruction: THISISNOTANINSTRUCTION", isError: true),
            .build(.rebuild(.build(.finished(.failed(exitCode: 125, message: "unknown instruction: THISISNOTANINSTRUCTION", duration: 2))))),
            .build(.rebuild(.finished(.buildFailed(.failed(exitCode: 125, message: "unknown instruction: THISISNOTANINSTRUCTION", duration: 2))))),
        ], to: state).0
        #expect(state.build.run == nil)
        #expect(state.build.lastResult?.status == .fail)
        #expect(state.build.lastResult?.text.contains("unknown instruction") == true)
        #expect(state.build.lastResult?.text.contains("untouched") == true)
        #expect(state.pod.rollbackOffer == nil)
    }

    @Test func theLogBufferKeepsTheNewestLogLines() {
        var (state, effects) = apply([.pod(.watch(Self.snapshot()))], to: Self.state(logLines: 5))
        // The same snapshot also tells the backups side which container runs the scripts.
        let buildEffects = effects.filter { if case .build = $0 { return true } else { return false } }
        #expect(buildEffects == [.build(.streamLogs(container: "c0ffee000001", tail: 5, generation: 1))])
        #expect(effects.contains { if case .backups(.refresh(let target)) = $0 { return target.container == "opencode-opencode" } else { return false } })
        let lines = (1...12).map { PodmanLogLine(container: "c", text: "line \($0)") }
        state = update(state, .build(.logLines(generation: 1, lines))).0
        #expect(state.build.entries.map(\.text) == (8...12).map { "line \($0)" })
        #expect(state.position(of: .build).selection == 4)
    }

    @Test func skippedLinesAreSaidWhereTheyWereDropped() {
        var state = apply([.pod(.watch(Self.snapshot()))], to: Self.state(logLines: 5)).0
        state = update(state, .build(.logLines(generation: 1, [PodmanLogLine(container: "c", text: "first")]))).0
        state = update(state, .build(.logSkipped(generation: 1, count: 48_000))).0
        state = update(state, .build(.logLines(generation: 1, [PodmanLogLine(container: "c", text: "newest")]))).0
        #expect(state.build.entries.map(\.text) == ["first", "--- 48000 lines skipped: they came faster than the view keeps ---", "newest"])
        #expect(state.build.entries[1].isNote)
        #expect(state.position(of: .build).selection == 2, "the view no longer follows the newest line")
        // A stream that was replaced says nothing about its skipped lines.
        state = update(state, .build(.logSkipped(generation: 7, count: 3))).0
        #expect(state.build.entries.count == 3)
    }

    @Test func followPausesAndResumes() {
        var state = apply([.pod(.watch(Self.snapshot()))], to: Self.state()).0
        state = update(state, .build(.logLines(generation: 1, (1...3).map { PodmanLogLine(container: "c", text: "a\($0)") }))).0
        #expect(state.isFollowingNow)
        state = update(state, .key(.character("f"))).0
        #expect(!state.isFollowingNow)
        state = update(state, .build(.logLines(generation: 1, [PodmanLogLine(container: "c", text: "a4")]))).0
        #expect(state.position(of: .build).selection == 2, "paused view moved")
        state = update(state, .key(.character("f"))).0
        #expect(state.isFollowingNow)
        #expect(state.position(of: .build).selection == 3)
        // Scrolling up stops the view from jumping; G goes back to the newest line.
        state = update(state, .key(.character("k"))).0
        state = update(state, .build(.logLines(generation: 1, [PodmanLogLine(container: "c", text: "a5")]))).0
        #expect(state.position(of: .build).selection == 2)
        state = update(state, .key(.character("G"))).0
        state = update(state, .build(.logLines(generation: 1, [PodmanLogLine(container: "c", text: "a6")]))).0
        #expect(state.position(of: .build).selection == 5)
    }

    @Test func linesOfAStoppedStreamAreIgnored() {
        var state = apply([.pod(.watch(Self.snapshot()))], to: Self.state()).0
        // The container was replaced: a new stream for the new container.
        let (next, effects) = apply([.pod(.watch(Self.snapshot(opencodeID: "c0ffee000002")))], to: state)
        state = next
        #expect(effects == [.build(.streamLogs(container: "c0ffee000002", tail: 2000, generation: 2))])
        state = update(state, .build(.logLines(generation: 1, [PodmanLogLine(container: "c", text: "old")]))).0
        #expect(state.build.entries.isEmpty)
        state = update(state, .build(.logLines(generation: 2, [PodmanLogLine(container: "c", text: "new")]))).0
        #expect(state.build.entries.map(\.text) == ["new"])
    }

    @Test func timestampsAreSplitOffAndToggled() {
        let entry = LogEntry(podmanLine: "2026-01-02T10:11:12.123456789+00:00 GET /config", isError: false)
        #expect(entry.stamp == "10:11:12")
        #expect(entry.text == "GET /config")
        #expect(LogEntry(podmanLine: "plain line", isError: false).stamp == "")
        var state = Self.state()
        #expect(!state.build.showsTimestamps)
        state = update(state, .key(.character("T"))).0
        #expect(state.build.showsTimestamps)
    }

    @Test func sourceCyclesThroughContainersAndBuild() {
        var state = apply([.pod(.watch(Self.snapshot()))], to: Self.state()).0
        var seen: [LogSource] = []
        var allEffects: [Effect] = []
        for _ in 0..<4 {
            let (next, effects) = apply([.key(.character("c"))], to: state)
            state = next
            seen.append(state.build.source)
            allEffects += effects
        }
        #expect(seen == [.falkordb, .valkey, .build, .opencode])
        #expect(allEffects.contains(.build(.streamLogs(container: "fa1", tail: 2000, generation: 2))))
        #expect(allEffects.contains(.build(.streamLogs(container: "va1", tail: 2000, generation: 3))))
        #expect(allEffects.contains(.build(.stopLogs)))
    }

    @Test func filterMatchesTextCaseInsensitively() {
        #expect(LogEntry(text: "GET /Config 200").matches("config"))
        #expect(!LogEntry(text: "GET /health 200").matches("config"))
        #expect(LogEntry(text: "anything").matches(""))
        var state = apply([.pod(.watch(Self.snapshot()))], to: Self.state()).0
        state = update(state, .build(.logLines(generation: 1, ["GET /config", "GET /health", "GET /config?x"].map { PodmanLogLine(container: "c", text: $0) }))).0
        state = apply([.key(.character("/")), .key(.character("c")), .key(.character("o")), .key(.character("n")), .key(.enter)], to: state).0
        #expect(state.position(of: .build).filter == "con")
        state = update(state, .key(.enter)).0
        guard case .page(let page)? = state.overlay else {
            Issue.record("Enter opened no page")
            return
        }
        #expect(page.lines == ["GET /config", "GET /config?x"])
    }

    @Test func enterOnTheBuildSourceShowsTheHistory() {
        var state = Self.state()
        state.build.source = .build
        state = update(state, .build(.history([
            PodmanBuildRecord(startedAt: Self.now, duration: 42, result: .succeeded, imageID: "0123456789abcdef", tag: "x"),
            PodmanBuildRecord(startedAt: Self.now.addingTimeInterval(60), duration: 3, result: .failed, imageID: nil, tag: "x", message: "bad"),
        ]))).0
        state = update(state, .key(.enter)).0
        guard case .page(let page)? = state.overlay else {
            Issue.record("no history page")
            return
        }
        #expect(page.title == "Build history")
        #expect(page.lines.count == 3)
        #expect(page.lines[1].contains("failed") && page.lines[1].contains("bad"))
        #expect(page.lines[2].contains("2023-11-14 22:13:20") && page.lines[2].contains("42 s") && page.lines[2].contains("0123456789ab"))
    }

    @Test func readonlyRefusesBuildsAndCancel() {
        var state = Self.state()
        state.settings.readonly = true
        let (next, effects) = apply([.key(.character("b")), .key(.character("x")), .run(.build)], to: state)
        #expect(next.overlay == nil)
        #expect(effects.isEmpty)
        #expect(next.messages.filter { $0.hasPrefix("read-only") }.count == 3)
    }

    @Test func aFailureFromBeforeThisConsoleIsEarlierAndALaterSuccessReplacesIt() {
        let failed = PodmanRebuildOutcome.buildFailed(.failed(exitCode: 125, message: "unknown instruction: X", duration: 0))
        var state = update(AppState(), .build(.beforeThisConsole(.rebuild(.finished(failed))))).0
        #expect(state.build.lastResult?.isEarlier == true && state.build.lastResult?.status == .fail)
        // A failure in this session is current.
        let current = update(AppState(), .build(.rebuild(.finished(failed)))).0
        #expect(current.build.lastResult?.isEarlier == false)
        // A later build that succeeds takes its place.
        state = update(state, .run(.build)).0
        state = update(state, .key(.character("y"))).0
        #expect(state.build.lastResult == nil && state.build.run != nil)
        state = update(state, .build(.build(.finished(.succeeded(imageID: "feedface0001", tag: "opencode-server:latest", duration: 4))))).0
        #expect(state.build.lastResult?.status == .ok && state.build.lastResult?.isEarlier == false)
    }

    @Test func escOnBuildDismissesTheBannerAfterClearingAFilter() {
        let failed = PodmanRebuildOutcome.buildFailed(.failed(exitCode: 125, message: "unknown instruction: X", duration: 0))
        var state = update(AppState(), .build(.rebuild(.finished(failed)))).0
        // Elsewhere Esc leaves it.
        #expect(update(state, .key(.escape)).0.build.lastResult != nil)
        state.focus = .build
        state.positions[.build] = ListPosition(selection: 0, filter: "error")
        state = update(state, .key(.escape)).0
        #expect(state.position(of: .build).filter.isEmpty && state.build.lastResult != nil)
        state = update(state, .key(.escape)).0
        #expect(state.build.lastResult == nil)
        #expect(state.messages.last?.hasPrefix("build result dismissed") == true)
    }
}
