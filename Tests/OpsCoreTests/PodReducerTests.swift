import Foundation
import Testing
@testable import OpsCore

/// The pod reducer: snapshots and events status, bring-up, take-down and their confirmations.
@Suite struct PodReducerTests {
    typealias Fixture = BuildReducerTests

    @Test func upNeedsNoConfirmationAndSaysWhenAlreadyUp() {
        var (state, effects) = (Fixture.state(), [Effect]())
        (state, effects) = update(state, .key(.character("u")))
        #expect(effects == [.pod(.up)])
        #expect(state.pod.operation == .up)
        // A second `u` while the first runs is refused.
        let (busy, none) = update(state, .key(.character("u")))
        #expect(none.isEmpty && busy.messages.last?.contains("bringing up") == true)
        state = update(state, .pod(.upFinished(.failure(.portInUse(address: "127.0.0.1", port: 4096, owner: "nginx (pid 12)"))))).0
        #expect(state.pod.operation == nil)
        #expect(state.messages.last?.contains("127.0.0.1:4096 is already in use by nginx (pid 12)") == true)
        state = update(state, .pod(.watch(Fixture.snapshot()))).0
        (state, effects) = update(state, .key(.character("u")))
        #expect(effects.filter { $0 == .pod(.up) }.isEmpty)
        #expect(state.messages.last == "pod opencode is already up")
    }

    @Test func downIsConfirmedNamingTheKeptVolumes() {
        var state = update(Fixture.state(), .pod(.watch(Fixture.snapshot()))).0
        var effects: [Effect]
        (state, effects) = update(state, .key(.character("D")))
        guard case .confirm(let confirmation)? = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(effects.isEmpty)
        #expect(confirmation.detail == .podDown)
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects == [.pod(.down)])
        state = update(state, .pod(.downFinished(.success(.removed(pod: "opencode", containers: [], keptVolumes: ["opencode-opencode-data"]))))).0
        #expect(state.messages.last == "pod opencode taken down; volumes kept: opencode-opencode-data")
    }

    @Test func aHandMadePodIsExplainedAndNeverTouched() {
        var state = Fixture.state()
        let foreign = PodmanPod(id: "p", name: "opencode", state: .running, containers: [PodmanContainer(id: "x", name: "mine", state: .running)])
        state = update(state, .pod(.watch(.snapshot(PodSnapshot(podName: "opencode", pod: foreign, takenAt: Fixture.now))))).0
        let (next, effects) = update(state, .key(.character("D")))
        #expect(next.overlay == nil && effects.isEmpty)
        #expect(next.messages.last?.contains("did not create") == true)
        #expect(next.messages.last?.contains("mine") == true)
    }

    @Test func eventsStreamStatusAndFailuresAreShownOnce() {
        var state = Fixture.state()
        state = update(state, .pod(.watch(.connected(processID: 42)))).0
        #expect(state.pod.events == .connected)
        state = update(state, .pod(.watch(.disconnected(reason: "podman events ended (exit 1)", attempt: 2)))).0
        #expect(state.pod.events == .reconnecting(attempt: 2, reason: "podman events ended (exit 1)"))
        for _ in 0..<3 { state = update(state, .pod(.watch(.failed(.notInstalled(binary: "podman"))))).0 }
        #expect(state.messages.filter { $0.contains("podman not found") }.count == 1)
        state = update(state, .pod(.watch(Fixture.snapshot()))).0
        #expect(state.pod.failure == nil)
        #expect(state.pod.isUp)
    }

    @Test func uptimeAndClockTicks() {
        var state = update(Fixture.state(), .pod(.watch(Fixture.snapshot()))).0
        #expect(state.pod.now == Fixture.now)
        state = update(state, .pod(.tick(Fixture.now.addingTimeInterval(3600)))).0
        let uptime = state.pod.container(.opencode)?.uptime(now: state.pod.now!)
        #expect(uptime == 3900)
        #expect(BuildClock.uptime(3900) == "1h 5m")
        #expect(BuildClock.uptime(30) == "<1m")
    }
}
