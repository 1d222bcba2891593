import Foundation
import OpsAdapters
import OpsCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension PodmanTests {
    /// The events stream against real podman: state from events, and a restart after it dies.
    @Suite struct Watch {
        typealias Support = PodmanTestSupport

        @Test func eventsStreamIsRestartedAndResyncedAfterItDies() async throws {
            try await Support.scenario("events", port: 14310) { settings in
                _ = try await Support.buildAndUp(settings)
                let watch = PodmanWatch(client: Support.client, pod: settings.pod, reconnectDelay: 0.2)
                let recorder = WatchRecorder()
                let task = Task {
                    for await update in watch.updates() { await recorder.add(update) }
                }
                defer { task.cancel() }

                let firstPID = try await recorder.waitFor { updates in
                    updates.lazy.compactMap { if case .connected(let pid) = $0 { pid } else { nil } }.first
                }
                let firstSnapshot = try await recorder.waitFor { updates in
                    updates.lazy.compactMap { if case .snapshot(let snapshot) = $0 { snapshot } else { nil } }.first
                }
                #expect(firstSnapshot.pod?.workloadContainers.count == 3)

                kill(firstPID, SIGKILL)
                let secondPID = try await recorder.waitFor { updates in
                    updates.lazy.compactMap { if case .connected(let pid) = $0, pid != firstPID { pid } else { nil } }.first
                }
                #expect(secondPID != firstPID)
                let reason = try await recorder.waitFor { updates in
                    updates.lazy.compactMap { if case .disconnected(let reason, _) = $0 { reason } else { nil } }.first
                }
                #expect(reason.contains("podman events ended"))
                // The resync snapshot follows the reconnection; wait for it rather than count at once.
                let resyncs = try await recorder.waitFor { updates -> Int? in
                    let count = updates.filter { if case .snapshot = $0 { true } else { false } }.count
                    return count >= 2 ? count : nil
                }
                #expect(resyncs >= 2)

                // The new stream delivers events: stop a sidecar, see its event and a fresh snapshot.
                let mark = await recorder.all.count
                let valkey = settings.pod + "-valkey"
                #expect(try await Support.podman(["stop", "--time", "1", valkey]).succeeded)
                let event = try await recorder.waitFor { updates in
                    updates.dropFirst(mark).lazy.compactMap { if case .event(let event) = $0, event.name == valkey, event.status == "died" { event } else { nil } }.first
                }
                #expect(event.type == "container")
                let stopped = try await recorder.waitFor { updates in
                    updates.dropFirst(mark).lazy.compactMap { update -> PodSnapshot? in
                        guard case .snapshot(let snapshot) = update,
                              let container = snapshot.pod?.container(role: .valkey), container.state != .running else { return nil }
                        return snapshot
                    }.first
                }
                #expect(stopped.pod?.container(role: .opencode)?.state == .running)
            }
        }
    }

    /// Collects watch updates so a test can wait for one to appear.
    actor WatchRecorder {
        private(set) var all: [PodmanWatchUpdate] = []

        func add(_ update: PodmanWatchUpdate) { all.append(update) }


        /// Polls the recorded updates (test-side only) until `find` returns a value, for up to two
        /// minutes: a ceiling for "never came", so a busy machine does not fail the test.
        func waitFor<T: Sendable>(_ find: ([PodmanWatchUpdate]) -> T?) async throws -> T {
            for _ in 0..<1200 {
                if let found = find(all) { return found }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            Issue.record("timed out; updates so far: \(all.suffix(6))")
            throw PodmanFailure.unexpectedOutput(command: "watch", detail: "timed out")
        }
    }
}
