import Foundation
import Testing
@testable import OpsCore

/// The pod as the panels speak of it (loading before the first snapshot), the clock the Health
/// times count from, OpenCode answering during its start period, and the keys of a text page.
@Suite struct PodPresenceAndPageTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func container(_ role: PodmanRole, health: PodmanHealthStatus = .none, startedAt: Date? = nil) -> PodmanContainer {
        PodmanContainer(
            id: role.rawValue, name: role.containerName(pod: "opencode"), image: "img", imageID: "id", state: .running,
            health: PodmanHealth(status: health), startedAt: startedAt, labels: [PodmanLabels.role: role.rawValue]
        )
    }

    func pod(state: PodmanPodState = .running, opencode: PodmanHealthStatus = .healthy, startedAt: Date? = nil) -> PodmanPod {
        PodmanPod(id: "p", name: "opencode", state: state, labels: [PodmanLabels.managed: "true"],
                  containers: [container(.opencode, health: opencode, startedAt: startedAt), container(.falkordb), container(.valkey)])
    }

    func snapshot(_ pod: PodmanPod?) -> Action {
        .pod(.watch(.snapshot(PodSnapshot(podName: "opencode", pod: pod, takenAt: t0))))
    }

    @Test func presenceIsLoadingUntilTheFirstSnapshot() {
        var state = AppState()
        #expect(state.pod.presence == .loading)
        state = update(state, snapshot(pod())).0
        #expect(state.pod.presence == .up)
        state = update(state, snapshot(nil)).0
        #expect(state.pod.presence == .down)
        state = update(state, snapshot(pod(state: .exited))).0
        #expect(state.pod.presence == .down)
    }

    @Test func aPodmanFailureBeforeAnySnapshotIsUnknownNotDown() {
        let state = update(AppState(), .pod(.watch(.failed(.notInstalled(binary: "podman"))))).0
        #expect(state.pod.presence == .unknown)
    }

    @Test func probesOfThePodsServicesNeedThePod() {
        let needing = [ProbeID.opencode, .podmanHealth, .falkordb, .valkey, .graphiti, .datadog, .b2, .b2Authorize].filter { $0.needsPod }
        #expect(needing == [.opencode, .podmanHealth, .falkordb, .valkey, .graphiti])
    }

    @Test func probesWaitForThePodOnlyWhileNoOpenCodeContainerRuns() {
        var state = AppState()
        #expect(!state.probesWaitForPod, "nothing known yet: nothing waits")
        state = update(state, snapshot(nil)).0
        #expect(state.probesWaitForPod)
        // An OpenCode container running outside the pod answers the probes: they report.
        state = update(state, .health(.environment(rows: [], origin: .containerfile, containerRunning: true))).0
        #expect(!state.probesWaitForPod)
        state = update(state, .health(.environment(rows: [], origin: .containerfile, containerRunning: false))).0
        #expect(state.probesWaitForPod)
        state = update(state, snapshot(pod())).0
        #expect(!state.probesWaitForPod)
    }

    @Test func healthTimesCountFromTheLaterOfTheClockAndTheNewestResult() {
        var state = AppState()
        #expect(state.healthNow == nil)
        let result = ProbeResult(probe: .opencode, status: .ok, latency: 0.01, time: t0)
        state = update(state, .health(.result(result))).0
        #expect(state.healthNow == t0)
        // The clock moves on between probe runs: "last run" ages with it.
        state = update(state, .tick(t0.addingTimeInterval(42))).0
        #expect(state.healthNow == t0.addingTimeInterval(42))
        state = update(state, .health(.started([.opencode]))).0
        state = update(state, .key(.enter)).0
        guard case .page(let page)? = state.overlay else { Issue.record("no details page"); return }
        #expect(page.content == .probe(.opencode))
    }

    @Test func openCodeAnswersWhileStartingOnlyAfterItsContainerStarted() {
        let http = ProbeResult(probe: .opencode, status: .ok, latency: 0.01, time: t0.addingTimeInterval(10))
        var state = update(AppState(), .health(.result(http))).0
        state = update(state, snapshot(pod(opencode: .starting, startedAt: t0))).0
        #expect(state.openCodeAnswersWhileStarting)
        // An answer from before this container started says nothing about it.
        state = update(state, snapshot(pod(opencode: .starting, startedAt: t0.addingTimeInterval(20)))).0
        #expect(!state.openCodeAnswersWhileStarting)
        // Once healthy, podman's word is enough.
        state = update(state, snapshot(pod(opencode: .healthy, startedAt: t0))).0
        #expect(!state.openCodeAnswersWhileStarting)
        // A failing probe does not count.
        state = update(state, snapshot(pod(opencode: .starting, startedAt: t0))).0
        state = update(state, .health(.result(ProbeResult(probe: .opencode, status: .failing, time: t0.addingTimeInterval(30))))).0
        #expect(!state.openCodeAnswersWhileStarting)
    }

    @Test func pageKeysMoveSidewaysAndWrapWithoutRunningCommands() {
        var state = AppState()
        state.width = 88
        state.overlay = .page(TextPage(title: "log", lines: [String(repeating: "x", count: 200)]))
        var effects: [Effect]
        (state, effects) = update(state, .key(.character("l")))
        #expect(effects.isEmpty)
        #expect(state.overlay == .page(TextPage(title: "log", lines: [String(repeating: "x", count: 200)], wraps: false, column: 40)))
        (state, effects) = update(state, .key(.right))
        guard case .page(let right)? = state.overlay else { Issue.record("page closed"); return }
        #expect(right.column == 80)
        // `h` is the healthcheck key elsewhere; on a page it only moves left.
        (state, effects) = update(state, .key(.character("h")))
        #expect(effects.isEmpty)
        (state, _) = update(state, .key(.left))
        guard case .page(let left)? = state.overlay else { Issue.record("page closed"); return }
        #expect(left.column == 0 && !left.wraps)
        (state, _) = update(state, .key(.character("w")))
        guard case .page(let wrapped)? = state.overlay else { Issue.record("page closed"); return }
        #expect(wrapped.wraps)
        // Without a page, `h` still runs the healthcheck.
        state.overlay = nil
        (state, effects) = update(state, .key(.character("h")))
        #expect(effects == [.health(.runHealthcheck)])
    }
}
