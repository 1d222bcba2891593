import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanTests {
    /// Bring-up, teardown, builds and rebuilds against real podman. Serialized: on two cores,
    /// parallel pods mostly wait on each other; each test still has its own names and port.
    @Suite struct Lifecycle {
        typealias Support = PodmanTestSupport

        @Test func upStartsThreeContainersSharingLocalhostAndPublishesThePort() async throws {
            try await Support.scenario("up", port: 14301) { settings in

                let result = try await Support.buildAndUp(settings)
                guard case .started(let pod, let containers, let warnings) = result else {
                    Issue.record("expected started, got \(result)")
                    return
                }
                #expect(pod == settings.pod)
                #expect(containers.count == 3)
                #expect(warnings.isEmpty)

                let snapshot = try await Support.client.snapshot(pod: settings.pod)
                let workload = try #require(snapshot.pod).workloadContainers
                #expect(Set(workload.map(\.role)) == [.opencode, .falkordb, .valkey])
                #expect(workload.allSatisfy { $0.state == .running }, "\(workload.map { ($0.name, $0.state) })")
                #expect(snapshot.pod?.isManaged == true)

                let answer = await Support.httpGet(port: 14301, path: "/config")
                #expect(answer?.0 == 200)
                #expect(answer?.1.contains("\"ok\":true") == true)

                // Shared localhost: from the FalkorDB container, Valkey answers on 6380.
                let ping = try await Support.podman(["exec", settings.pod + "-falkordb", "redis-cli", "-p", "6380", "ping"])
                #expect(ping.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "PONG")

                // Secrets from the env file and overrides from settings reach OpenCode.
                let env = try await Support.podman(["exec", settings.pod + "-opencode", "env"])
                #expect(env.stdoutText.contains("OPS_TEST_SECRET=s3cret"))
                #expect(env.stdoutText.contains("OPS_TEST_SETTING=visible"))
                // ...and the secret is not on any command line podman recorded.
                let inspect = try await Support.podman(["container", "inspect", settings.pod + "-opencode", "--format", "{{.Config.CreateCommand}}"])
                #expect(!inspect.stdoutText.contains("s3cret"))
                // Config values travel in a private env file, not as `--env NAME=value` (which
                // `ps` shows), and that file is gone once the container exists.
                #expect(!inspect.stdoutText.contains("visible"), "\(inspect.stdoutText)")
                #expect(!inspect.stdoutText.contains("--env "), "\(inspect.stdoutText)")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("opencode-ops-env-") }
                #expect(leftovers.isEmpty, "\(leftovers)")

                let again = try await Support.deployer(settings).up()
                #expect(again == .alreadyUp(pod: settings.pod, warnings: []))

                // Logs of a sidecar, through the same streaming path as the console.
                var lines: [String] = []
                for await line in PodmanLogs(client: Support.client).stream(container: settings.pod + "-valkey", tail: 100, follow: false).updates {
                    lines.append(line.text)
                }
                #expect(lines.contains { $0.contains("Ready to accept connections") }, "\(lines.suffix(5))")
            }
        }

        @Test func downRemovesContainersAndKeepsVolumeData() async throws {
            try await Support.scenario("down", port: 14302) { settings in
                _ = try await Support.buildAndUp(settings)
                let container = settings.pod + "-opencode"
                let wrote = try await Support.podman(["exec", container, "sh", "-c", "echo kept > /root/.local/share/opencode/marker"])
                #expect(wrote.succeeded)

                let down = try await Support.deployer(settings).down()
                guard case .removed(_, let containers, let kept) = down else {
                    Issue.record("expected removed, got \(down)")
                    return
                }
                #expect(Set(containers) == Set(PodmanRole.allCases.map { $0.containerName(pod: settings.pod) }))
                #expect(kept == PodmanVolumes.all(pod: settings.pod), "the data volumes and the backup state")
                #expect(try await Support.client.inspectPod(settings.pod) == nil)
                for volume in PodmanVolumes.all(pod: settings.pod) {
                    #expect(try await Support.client.volumeExists(volume))
                }
                #expect(try await Support.deployer(settings).down() == .notPresent(pod: settings.pod))

                _ = try await Support.deployer(settings).up()
                let read = try await Support.podman(["exec", container, "cat", "/root/.local/share/opencode/marker"])
                #expect(read.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "kept")
            }
        }

        @Test func buildStreamsStepsAndRecordsHistory() async throws {
            try await Support.scenario("build", port: 14303) { settings in
                var settings = settings
                settings.buildArgs = ["BUILD_MARK": "streamed-\(UUID().uuidString.prefix(6))"]

                var steps: [PodmanBuildProgress] = []
                var lines: [PodmanBuildLine] = []
                var outcome: PodmanBuildOutcome?
                for await update in Support.builder(settings).build(tag: settings.image).updates {
                    switch update {
                    case .line(let line):
                        lines.append(line)
                        if let progress = line.progress, steps.last != progress { steps.append(progress) }
                    case .finished(let finished): outcome = finished
                    }
                }
                guard case .succeeded(let imageID, let tag, _) = try #require(outcome) else {
                    Issue.record("build failed: \(String(describing: outcome)); \(lines.suffix(5).map(\.text))")
                    return
                }
                #expect(tag == settings.image)
                #expect(steps.map(\.step) == Array(1...8))
                #expect(steps.allSatisfy { $0.total == 8 })
                #expect(steps.contains { $0.instruction.hasPrefix("HEALTHCHECK") })
                #expect(lines.map(\.elapsed) == lines.map(\.elapsed).sorted())
                let image = try #require(try await Support.client.inspectImage(settings.image))
                #expect(image.id == imageID)
                #expect(image.healthcheck?.interval == 2)
                #expect(image.environment.contains { $0.hasPrefix("PATH=") })

                let records = PodmanBuildHistory(stateDirectory: settings.buildContext + "/state").records()
                #expect(records.count == 1)
                #expect(records.first?.result == .succeeded)
                #expect(records.first?.imageID == imageID)
            }
        }

        @Test func cancelledBuildTagsNothing() async throws {
            try await Support.scenario("cancel", port: 14304) { settings in
                var settings = settings
                settings.containerfile = "Containerfile.slow"

                let job = Support.builder(settings).build(tag: settings.image)
                var outcome: PodmanBuildOutcome?
                for await update in job.updates {
                    switch update {
                    case .line(let line):
                        if line.progress?.instruction == "RUN sleep 600" { job.cancel() }
                    case .finished(let finished): outcome = finished
                    }
                }
                guard case .cancelled(let duration) = try #require(outcome) else {
                    Issue.record("expected cancelled, got \(String(describing: outcome))")
                    return
                }
                // Cancel stops the build (about a second); waiting for it would take the slow step's 600 s.
                #expect(duration < 300)
                #expect(try await !Support.client.imageExists(settings.image))
                #expect(PodmanBuildHistory(stateDirectory: settings.buildContext + "/state").records().last?.result == .cancelled)
            }
        }

        @Test func failingBuildReportsTheErrorAndLeavesTheContainerRunning() async throws {
            try await Support.scenario("broken", port: 14305) { settings in
                var settings = settings
                _ = try await Support.buildAndUp(settings)
                let before = try #require(try await Support.client.snapshotContainer(settings.pod + "-opencode"))

                settings.containerfile = "Containerfile.broken"
                let rebuilder = PodmanRebuilder(deployer: Support.deployer(settings), builder: Support.builder(settings))
                let outcome = try await Support.finalOutcome(of: rebuilder.rebuild())
                guard case .buildFailed(.failed(_, let message, _)) = outcome else {
                    Issue.record("expected a failed build, got \(outcome)")
                    return
                }
                #expect(message.contains("THISISNOTANINSTRUCTION"), "\(message)")

                let after = try #require(try await Support.client.snapshotContainer(settings.pod + "-opencode"))
                #expect(after.id == before.id)
                #expect(after.imageID == before.imageID)
                #expect(after.state == .running)
                #expect(try await !Support.client.imageExists(rebuilder.previousTag))
            }
        }

        @Test func rebuildReplacesTheContainerAndKeepsVolumeData() async throws {
            try await Support.scenario("rebuild", port: 14306) { settings in
                var settings = settings
                _ = try await Support.buildAndUp(settings)
                let container = settings.pod + "-opencode"
                let before = try #require(try await Support.client.snapshotContainer(container))
                _ = try await Support.podman(["exec", container, "sh", "-c", "echo survived > /root/.local/share/opencode/marker"])

                settings.buildArgs = ["BUILD_MARK": "second"]
                let rebuilder = PodmanRebuilder(deployer: Support.deployer(settings), builder: Support.builder(settings))
                #expect(await rebuilder.replacementSummary().contains(container))
                var phases: [PodmanRebuildPhase] = []
                var outcome: PodmanRebuildOutcome?
                for await update in rebuilder.rebuild().updates {
                    switch update {
                    case .phase(let phase): phases.append(phase)
                    case .finished(let finished): outcome = finished
                    case .failed(let failure): Issue.record("rebuild failed: \(failure.message)")
                    case .build: break
                    }
                }
                guard case .replaced(let name, let imageID, let healthy) = try #require(outcome) else {
                    Issue.record("expected replaced, got \(String(describing: outcome))")
                    return
                }
                #expect(name == container)
                #expect(healthy)
                #expect(phases.first == .building)
                #expect(phases.contains(.replacing(container: container)))

                let after = try #require(try await Support.client.snapshotContainer(container))
                #expect(after.id != before.id)
                #expect(after.imageID == imageID)
                #expect(try await Support.client.inspectImage(rebuilder.previousTag)?.id == before.imageID)
                let marker = try await Support.podman(["exec", container, "cat", "/root/.local/share/opencode/marker"])
                #expect(marker.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "survived")
                let health = await Support.httpGet(port: 14306, path: "/global/health")
                #expect(health?.1.contains("second") == true)
            }
        }

        @Test func unhealthyReplacementOffersRollbackAndRollbackRestores() async throws {
            try await Support.scenario("unhealthy", port: 14307) { settings in
                var settings = settings
                _ = try await Support.buildAndUp(settings)
                let container = settings.pod + "-opencode"
                let before = try #require(try await Support.client.snapshotContainer(container))

                settings.containerfile = "Containerfile.unhealthy"
                let rebuilder = PodmanRebuilder(deployer: Support.deployer(settings), builder: Support.builder(settings))
                let outcome = try await Support.finalOutcome(of: rebuilder.rebuild())
                guard case .notHealthy(let name, let newID, let reason, let previous) = outcome else {
                    Issue.record("expected not healthy, got \(outcome)")
                    return
                }
                #expect(name == container)
                #expect(newID != before.imageID)
                #expect(previous == rebuilder.previousTag)
                #expect(reason.contains("not healthy"), "\(reason)")

                let rolledBack = try await rebuilder.rollback()
                #expect(rolledBack == .replaced(container: container, imageID: before.imageID, healthy: true))
                let after = try #require(try await Support.client.snapshotContainer(container))
                #expect(after.imageID == before.imageID)
                #expect(try await Support.client.inspectImage(settings.image)?.id == before.imageID)
                #expect(await Support.httpGet(port: 14307, path: "/config")?.0 == 200)
            }
        }
    }
}
