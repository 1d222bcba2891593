import Foundation
import OpsAdapters
import OpsConsole
import OpsCore
import Testing

/// The images and stats runners driving the real podman: answers it gives whatever images and
/// containers the machine holds, and its reasons when it cannot answer.
struct PodmanQueryRunnerTests {
    /// A connection podman does not know: every call fails with podman's own reason.
    static var unreachable: Settings {
        var settings = Settings()
        settings.podmanConnection = "opencode-ops-test-no-such-connection"
        return settings
    }

    static let reference = "localhost/opencode-ops-test-none/image:1"

    @Test func aListingPodmanRefusesIsPostedWithItsReason() async throws {
        let console = ConsoleFixture(settings: Self.unreachable)
        ImagesEffectRunner(context: console.context).perform(.list(reference: Self.reference, pod: "opencode"))
        let result = try #require(await console.posted.first { action -> Result<ImageInventory, PodmanFailure>? in
            if case .images(.listed(let result)) = action { return result }
            return nil
        })
        guard case .failure(let failure) = result else {
            Issue.record("listed although podman cannot be reached: \(result)")
            return
        }
        #expect(failure.message.contains("opencode-ops-test-no-such-connection"), "\(failure.message)")
        #expect(failure.message.contains("destination not found"), "\(failure.message)")
    }

    @Test func aListingOfAnImageNobodyBuiltHasNoImages() async throws {
        let console = ConsoleFixture()
        ImagesEffectRunner(context: console.context).perform(.list(reference: Self.reference, pod: "opencode-ops-test-none"))
        let result = try #require(await console.posted.first { action -> Result<ImageInventory, PodmanFailure>? in
            if case .images(.listed(let result)) = action { return result }
            return nil
        })
        let inventory = try result.get()
        #expect(inventory.reference == Self.reference)
        #expect(inventory.images.isEmpty)
        #expect(inventory.volumes.isEmpty)
        #expect(!inventory.totals.isEmpty || inventory.totalsProblem != nil)
    }

    @Test func pruningAnImageThatIsGoneIsRefusedAndAudited() async throws {
        let id = String(repeating: "0f", count: 32)
        let jobs = RecordedJobs()
        let console = ConsoleFixture(jobs: jobs)
        ImagesEffectRunner(context: console.context).perform(.prune(ids: [id], reference: Self.reference, pod: "opencode-ops-test-none"))
        let result = try #require(await console.posted.first { action -> Result<PruneOutcome, PodmanFailure>? in
            if case .images(.pruned(let result)) = action { return result }
            return nil
        })
        let outcome = try result.get()
        #expect(outcome.removed.isEmpty)
        #expect(outcome.refused == [PruneOutcome.Refusal(id: id, reason: "gone already")])
        #expect(jobs.records.map(\.action) == ["prune"])
        #expect(jobs.records.first?.target == Self.reference)
        #expect(jobs.records.first?.result == outcome.summary)
    }

    @Test func aPruneThatCannotReachPodmanIsAFailureAndAudited() async throws {
        let jobs = RecordedJobs()
        let console = ConsoleFixture(jobs: jobs, settings: Self.unreachable)
        ImagesEffectRunner(context: console.context).perform(.prune(ids: ["0f0f"], reference: Self.reference, pod: "opencode"))
        let result = try #require(await console.posted.first { action -> Result<PruneOutcome, PodmanFailure>? in
            if case .images(.pruned(let result)) = action { return result }
            return nil
        })
        guard case .failure(let failure) = result else {
            Issue.record("pruned although podman cannot be reached: \(result)")
            return
        }
        #expect(failure.message.contains("destination not found"), "\(failure.message)")
        #expect(jobs.records.map(\.action) == ["prune"])
        #expect(jobs.records.first?.result == "failed: \(failure.message)")
    }

    /// A running container of the test's own: samples come under the generation asked for and
    /// hold only the containers named, whatever else runs on the machine.
    @Test func statsSamplesHoldOnlyTheNamedContainers() async throws {
        let name = TestContainers.name("stats")
        let ran = try await TestContainers.run(name, detached: true, ["sleep", "300"])
        #expect(ran.succeeded, "\(ran.stderrText)")

        let console = ConsoleFixture()
        let runner = StatsEffectRunner(context: console.context)
        runner.perform(.start(generation: 3, containers: [name, "opencode-ops-test-not-running"], interval: 1))
        let sample = await console.posted.first { action -> (Int, [String])? in
            if case .stats(.sampled(let generation, let sample)) = action, !sample.containers.isEmpty {
                return (generation, sample.containers.map(\.name))
            }
            return nil
        }
        runner.perform(.stop)
        await TestContainers.remove(name)
        let (generation, names) = try #require(sample)
        #expect(generation == 3)
        #expect(names == [name])
        #expect(console.posted.all { if case .stats(.ended) = $0 { 1 } else { nil } }.isEmpty)
    }

    @Test func aStatsStreamPodmanEndsSaysWhyUnderItsGeneration() async throws {
        let console = ConsoleFixture(settings: Self.unreachable)
        let runner = StatsEffectRunner(context: console.context)
        runner.perform(.start(generation: 7, containers: ["opencode-opencode"], interval: 2))
        defer { runner.perform(.stop) }
        let ended = try #require(await console.posted.first { action -> (Int, String)? in
            if case .stats(.ended(let generation, let reason)) = action { return (generation, reason) }
            return nil
        })
        #expect(ended.0 == 7)
        #expect(ended.1.contains("destination not found"), "\(ended.1)")
        #expect(console.posted.all { if case .stats(.sampled) = $0 { 1 } else { nil } }.isEmpty)
    }
}
