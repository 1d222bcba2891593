import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

/// The main screen's states at every size the console is used at (80×24, 120×36, 200×60 and the
/// 40×12 minimum): before the first pod snapshot, pod up with probe results, pod down with probes
/// waiting, and OpenCode in its healthcheck's start period with HTTP already answering.
@Suite struct ScreenStatesGoldenTests {
    static let sizes = [(80, 24), (120, 36), (200, 60), (40, 12)]
    /// A little after the last fixture result.
    static let now = HealthFixtures.start.addingTimeInterval(95)

    static func pod(opencode health: PodmanHealthStatus, startedAt: Date) -> PodmanPod {
        func container(_ role: PodmanRole, health: PodmanHealthStatus) -> PodmanContainer {
            PodmanContainer(
                id: role.rawValue, name: role.containerName(pod: "opencode"), image: "localhost/opencode-server:latest",
                imageID: "abcdef1234567890", state: .running, health: PodmanHealth(status: health),
                startedAt: startedAt, labels: [PodmanLabels.role: role.rawValue]
            )
        }
        return PodmanPod(
            id: "pod1", name: "opencode", state: .running, labels: [PodmanLabels.managed: "true"],
            containers: [container(.opencode, health: health), container(.falkordb, health: .none), container(.valkey, health: .none)]
        )
    }

    static func snapshot(_ state: AppState, _ pod: PodmanPod?) -> AppState {
        var state = update(state, .pod(.watch(.snapshot(PodSnapshot(podName: "opencode", pod: pod, takenAt: now))))).0
        state = update(state, .pod(.watch(.connected(processID: 1)))).0
        return update(state, .tick(now)).0
    }

    static let states: [(String, @Sendable (Int, Int) -> AppState)] = [
        ("loading", { Fixtures.state(width: $0, height: $1, glyphs: .unicode) }),
        ("pod-up", { width, height in
            snapshot(HealthFixtures.state(width: width, height: height, glyphs: .unicode),
                     pod(opencode: .healthy, startedAt: now.addingTimeInterval(-3_700)))
        }),
        ("pod-down", { width, height in
            var state = snapshot(HealthFixtures.state(width: width, height: height, glyphs: .unicode), nil)
            state.health.containerRunning = false
            return state
        }),
        ("starting-http-ok", { width, height in
            snapshot(HealthFixtures.state(width: width, height: height, glyphs: .unicode),
                     pod(opencode: .starting, startedAt: HealthFixtures.start.addingTimeInterval(85)))
        }),
    ]

    @Test(arguments: 0..<4)
    func mainScreenStates(state index: Int) {
        let (name, make) = Self.states[index]
        for (width, height) in Self.sizes {
            GoldenFile.check(MainView.render(make(width, height)), named: "screen-\(name)-\(width)x\(height)-utf8")
        }
    }

    @Test func beforeTheFirstSnapshotNothingSaysNoPod() {
        for (width, height) in Self.sizes {
            let text = MainView.render(Self.states[0].1(width, height)).text
            #expect(!text.contains("no pod"), "at \(width)x\(height)")
            #expect(!text.contains("not up"), "at \(width)x\(height)")
        }
    }

    @Test func headerNamesURLImageConnectionAndThemeWhenWide() {
        for (name, make) in Self.states {
            let header = String(MainView.render(make(200, 60)).text.split(separator: "\n")[0])
            #expect(header.contains("http://127.0.0.1:4096"), "\(name): \(header)")
            #expect(header.contains("image localhost/opencode-server:latest"), "\(name): \(header)")
            #expect(header.contains("podman local"), "\(name): \(header)")
            #expect(header.contains("theme default"), "\(name): \(header)")
        }
    }

    @Test func headerNamesTheEngineFromTheEnvironmentUnlessTheSettingsNameOne() {
        var state = Self.states[1].1(200, 60)
        state.podmanEndpoint = .host("ssh://core@10.0.0.5:2222")
        #expect(String(MainView.render(state).text.split(separator: "\n")[0]).contains("podman ssh://core@10.0.0.5:2222"))
        state.settings.podmanConnection = "prod"
        let named = String(MainView.render(state).text.split(separator: "\n")[0])
        #expect(named.contains("podman prod") && !named.contains("10.0.0.5"))
    }

    @Test func narrowHeaderKeepsThePodStateAndDropsTheThemeFirst() {
        let state = Self.states[1].1(80, 24)
        let header = String(MainView.render(state).text.split(separator: "\n")[0])
        #expect(header.contains("pod opencode ● running"))
        #expect(!header.contains("theme"))
        let narrowest = String(MainView.render(Self.states[1].1(40, 12)).text.split(separator: "\n")[0])
        #expect(narrowest.contains("pod opencode"))
    }

    @Test func headerSaysStartingWithHTTPOkDuringTheStartPeriod() {
        let header = String(MainView.render(Self.states[3].1(200, 60)).text.split(separator: "\n")[0])
        #expect(header.contains("opencode ● starting (HTTP ok)"))
        // A container started after the HTTP probe's last answer: that answer was for the old one.
        let later = Self.snapshot(HealthFixtures.state(width: 200, height: 60, glyphs: .unicode),
                                  Self.pod(opencode: .starting, startedAt: Self.now))
        let plain = String(MainView.render(later).text.split(separator: "\n")[0])
        #expect(plain.contains("opencode ◌ starting") && !plain.contains("HTTP ok"))
    }

    @Test func podDownProbesWaitInsteadOfFailing() {
        let state = Self.states[2].1(200, 60)
        let grid = MainView.render(state)
        let lines = grid.text.split(separator: "\n")
        let healthcheck = lines.first { $0.contains("Healthcheck") }
        #expect(healthcheck?.contains("◌ waiting for pod") == true)
        #expect(healthcheck?.contains("failing") == false)
        // Neutral style: the status cell is muted, not the failure colour.
        let y = lines.firstIndex { $0.contains("Healthcheck") }!
        let x = Array(lines[y]).firstIndex(of: "◌")!
        #expect(grid[x, y].role == .muted)
        // Probes that do not need the pod keep their result.
        #expect(lines.contains { $0.contains("B2 credentials") && $0.contains("● ok") })
    }

    @Test func healthShowsColumnHeadersAndTheReasonWhenThereIsRoom() {
        let text = MainView.render(Self.states[1].1(200, 60)).text
        #expect(text.contains("STATUS"))
        #expect(text.contains("LAST RUN"))
        #expect(text.contains("CHANGED"))
        #expect(text.contains("HTTP 200 /global/health"))
        let healthcheck = text.split(separator: "\n").first { $0.contains("Healthcheck") }
        #expect(healthcheck?.contains("last check: wget") == true)
    }

    @Test func jobsOverlaySizesItsColumnsAndWrapsLongAuditEntries() {
        let start = Date(timeIntervalSince1970: 1_795_600_000)
        func job(_ id: String, _ kind: JobKind, _ state: JobRunState, exit: Int32? = nil, ssh: String? = nil) -> JobStatus {
            JobStatus(id: id, kind: kind, arguments: kind.arguments(), user: "ops", sshClient: ssh, pid: 42,
                      startedAt: start, state: state, exitCode: exit)
        }
        for (width, height) in [(80, 24), (120, 36)] {
            var state = Fixtures.state(width: width, height: height, glyphs: .unicode)
            state.jobs.jobs = [
                job("20261126-101000-restore-aef5", .restore, .running, ssh: "10.0.0.5"),
                job("20261126-100500-backup-19c2", .backup, .succeeded),
                job("20261126-100000-rebuild-7d3e", .rebuild, .failed, exit: 125),
            ]
            state.jobs.audit = [
                JobAuditEntry(time: start, user: "ops", from: "10.0.0.5", action: "restore", target: "20261126T095900Z-e7d1",
                              result: "started: overwrites /root/.local/share/opencode and the FalkorDB and Valkey data"),
            ]
            state = update(state, .key(.character("J"))).0
            let grid = MainView.render(state)
            let text = grid.text
            GoldenFile.check(grid, named: "jobs-\(width)x\(height)-utf8")
            #expect(text.contains("20261126-101000-restore-aef5"))
            #expect(text.contains("Valkey data"), "the audit entry's end is on screen")
        }
    }
}
