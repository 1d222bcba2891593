import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// Golden renders of the Build & Logs panel and the header at 80×24, UTF-8 and ASCII:
/// building, a failed build, logs with and without timestamps, pod up and down.
@Suite struct BuildPanelGoldenTests {
    static let modes: [(GlyphMode, String)] = [(.unicode, "utf8"), (.ascii, "ascii")]
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func podUp(_ state: AppState) -> AppState {
        func container(_ role: PodmanRole, id: String, health: PodmanHealthStatus) -> PodmanContainer {
            PodmanContainer(
                id: id, name: role.containerName(pod: "opencode"), image: "localhost/opencode-server:latest",
                imageID: "abcdef1234567890", state: .running, health: PodmanHealth(status: health),
                startedAt: now.addingTimeInterval(-754), labels: [PodmanLabels.role: role.rawValue]
            )
        }
        let pod = PodmanPod(
            id: "pod1", name: "opencode", state: .running, labels: [PodmanLabels.managed: "true"],
            containers: [container(.opencode, id: "c1", health: .healthy), container(.falkordb, id: "f1", health: .none),
                         container(.valkey, id: "v1", health: .none)]
        )
        var state = update(state, .pod(.watch(.snapshot(PodSnapshot(podName: "opencode", pod: pod, takenAt: now))))).0
        state = update(state, .pod(.watch(.connected(processID: 1)))).0
        return update(state, .key(.character("4"))).0
    }

    static func withLogs(_ state: AppState) -> AppState {
        let lines = (1...9).map { index in
            PodmanLogLine(container: "c1", text: "2026-11-27T10:00:0\(index).000000000+00:00 GET /config 200 req=\(index)")
        }
        return update(podUp(state), .build(.logLines(generation: 1, lines))).0
    }

    /// Log lines carrying escape sequences and C1 controls, as a hostile container could print.
    static func withControlLogs(_ state: AppState) -> AppState {
        let lines = ["clear\u{1B}[2Jscreen", "title\u{1B}]0;pwned\u{07}end", "clip\u{1B}]52;c;ZXZpbA==\u{07}x", "c1\u{9B}31mred\u{85}nel"].map {
            PodmanLogLine(container: "c1", text: "2026-11-27T10:00:01.000000000+00:00 \($0) |")
        }
        return update(podUp(state), .build(.logLines(generation: 1, lines))).0
    }

    static func building(_ state: AppState) -> AppState {
        var state = podUp(state)
        state = update(state, .key(.character("b"))).0
        state = update(state, .key(.character("y"))).0
        for (index, text) in ["STEP 1/4: FROM scratch", "STEP 2/4: COPY busybox /bin/busybox", "--> 5d2c9a01",
                              "STEP 3/4: RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]"].enumerated() {
            let line = PodmanBuildLine(text: text, progress: PodmanBuildProgress(line: text), elapsed: Double(index) * 4)
            state = update(state, .build(.rebuild(.build(.line(line))))).0
        }
        return update(state, .build(.tick(elapsed: 17))).0
    }

    static func failed(_ state: AppState) -> AppState {
        var state = building(state)
        let message = "unknown instruction: THISISNOTANINSTRUCTION"
        state = update(state, .build(.rebuild(.build(.line(PodmanBuildLine(text: "Error: \(message)", isError: true, elapsed: 18)))))).0
        state = update(state, .build(.rebuild(.build(.finished(.failed(exitCode: 125, message: message, duration: 18)))))).0
        return update(state, .build(.rebuild(.finished(.buildFailed(.failed(exitCode: 125, message: message, duration: 18)))))).0
    }

    static let scenarios: [(String, @Sendable (AppState) -> AppState)] = [
        ("pod-down", { update($0, .pod(.watch(.snapshot(PodSnapshot(podName: "opencode", pod: nil, takenAt: now))))).0 }),
        ("pod-up-logs", withLogs),
        ("pod-up-logs-timestamps", { update(withLogs($0), .key(.character("T"))).0 }),
        ("pod-up-logs-controls", withControlLogs),
        ("building", building),
        ("build-failed", failed),
        ("events-reconnecting", { update(podUp($0), .pod(.watch(.disconnected(reason: "podman events ended (exit 1)", attempt: 1)))).0 }),
        // A rebuild that failed before this console opened: muted, as history.
        ("earlier-failure", { state in
            let failed = PodmanRebuildOutcome.buildFailed(.failed(exitCode: 125, message: "unknown instruction: X", duration: 0))
            return update(update(podUp(state), .key(.character("4"))).0, .build(.beforeThisConsole(.rebuild(.finished(failed))))).0
        }),
    ]

    @Test(arguments: 0..<8)
    func panelAndHeader(scenario: Int) {
        let (name, make) = Self.scenarios[scenario]
        for (mode, label) in Self.modes {
            let grid = MainView.render(make(Fixtures.state(width: 80, height: 24, glyphs: mode)))
            let text = grid.text
            GoldenFile.check(grid, named: "build-\(name)-80x24-\(label)")
            if mode == .ascii { #expect(text.allSatisfy { $0.isASCII }, "non-ASCII in \(name)") }
            let controls = text.unicodeScalars.filter { $0 != "\n" && TerminalSafeText.isControl($0) }
            #expect(controls.isEmpty, "control characters reach the screen in \(name)")
        }
    }

    @Test func headerShowsStatesAndUptime() {
        let header = MainView.render(Self.podUp(Fixtures.state(width: 120, height: 40, glyphs: .unicode))).text.split(separator: "\n")[0]
        #expect(header.contains("pod opencode ● running 12m"))
        #expect(header.contains("opencode ● healthy"))
        #expect(header.contains("falkordb ● up"))
        let down = MainView.render(Fixtures.state(width: 80, height: 24, glyphs: .unicode)).text
        #expect(down.hasPrefix(" pod opencode ◌ checking"))
    }

    @Test func progressBarFillsByFraction() {
        #expect(ProgressBar.text(fraction: 0.5, width: 10, glyphs: .ascii) == "#####-----")
        #expect(ProgressBar.text(fraction: 2, width: 4, glyphs: .unicode) == "████")
        #expect(ProgressBar.text(fraction: nil, width: 3, glyphs: .ascii) == "---")
    }

    /// After `c` the tabs still name every source, at every width (the selected one in full).
    @Test(arguments: [(80, 24), (120, 36), (40, 12)])
    func logTabsStayVisible(size: (Int, Int)) {
        for (mode, label) in Self.modes {
            var state = Self.withLogs(Fixtures.state(width: size.0, height: size.1, glyphs: mode))
            for key: Key in [.character("4"), .character("c"), .character("T")] { state = update(state, .key(key)).0 }
            let grid = MainView.render(state)
            let text = grid.text
            let tabs = text.split(separator: "\n").first { $0.contains("[falkordb]") } ?? ""
            #expect(tabs.contains("[falkordb]"), "no tab row at \(size)")
            for other in ["open", "valk", "build"] { #expect(tabs.contains(other), "\(other) missing at \(size): \(tabs)") }
            GoldenFile.check(grid, named: "build-log-tabs-\(size.0)x\(size.1)-\(label)")
        }
        #expect(BuildPanel.tabNames(selected: .valkey, width: 200) == ["opencode", "falkordb", "[valkey]", "build"])
        #expect(BuildPanel.tabNames(selected: .valkey, width: 27) == ["open", "falk", "[valkey]", "build"])
        #expect(BuildPanel.tabNames(selected: .valkey, width: 10) == ["o", "f", "[v]", "b"])
    }
}
