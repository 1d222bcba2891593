import Foundation
import OpsAdapters
import OpsCore
import Testing

/// A probe with a fixed delay, counting its runs; stands in for any probe in scheduling tests.
private struct CountingProbe: Probe {
    let id: ProbeID
    let schedule: ProbeSchedule
    let delay: Double
    let runs: RunCounter

    func check() async -> ProbeResult {
        await runs.increment()
        // Deliberately ignores cancellation, like a probe stuck in a blocking call.
        let until = Date().addingTimeInterval(delay)
        while Date() < until { try? await Task.sleep(nanoseconds: 10_000_000) }
        await runs.finish()
        return ProbeResult(probe: id, status: .ok, latency: delay, detail: "ran", time: Date())
    }
}

/// Counts runs, and how many were in flight at once: concurrency shown by overlap, not by the
/// clock, so a busy machine cannot make the test lie either way.
private actor RunCounter {
    var count = 0
    var finished = 0
    var inFlight = 0
    var mostInFlight = 0

    func increment() {
        count += 1
        inFlight += 1
        mostInFlight = max(mostInFlight, inFlight)
    }

    func finish() {
        inFlight -= 1
        finished += 1
    }
}

@Suite("Probe scheduler", .tags(.probes))
struct ProbeSchedulerTests {
    @Test func runOnceRunsProbesConcurrently() async {
        let runs = RunCounter()
        let probes = (0..<4).map { CountingProbe(id: ProbeID("p\($0)"), schedule: ProbeSchedule(interval: 60, timeout: 30), delay: 1.0, runs: runs) }
        let scheduler = ProbeScheduler(probes: probes)
        let results = await scheduler.runOnce()
        #expect(results.map(\.probe) == ["p0", "p1", "p2", "p3"])
        #expect(results.allSatisfy { $0.status == .ok })
        // Each probe takes a second; run one after another, no two would ever overlap.
        #expect(await runs.mostInFlight == 4, "probes did not run at the same time")
    }

    @Test func aHangingProbeTimesOutWithoutHoldingTheOthers() async {
        let hangingRuns = RunCounter()
        let hanging = CountingProbe(id: "hang", schedule: ProbeSchedule(interval: 60, timeout: 0.3), delay: 20, runs: hangingRuns)
        let quick = CountingProbe(id: "quick", schedule: ProbeSchedule(interval: 60, timeout: 10), delay: 0.05, runs: RunCounter())
        let results = await ProbeScheduler(probes: [hanging, quick]).runOnce()
        // The run ended while the 20 s probe was still going: its timeout, not its end, let go.
        #expect(await hangingRuns.finished == 0, "the hanging probe held the run")
        #expect(results[0].status == .failing)
        #expect(results[0].error == "timed out after 0.3 s")
        #expect(results[1].status == .ok)
    }

    @Test func eachProbeRunsOnItsOwnInterval() async {
        let fastRuns = RunCounter()
        let slowRuns = RunCounter()
        let fast = CountingProbe(id: "fast", schedule: ProbeSchedule(interval: 0.1, timeout: 1), delay: 0, runs: fastRuns)
        // An hour: however slowly a loaded machine runs the fast probe, the slow one is not due again.
        let slow = CountingProbe(id: "slow", schedule: ProbeSchedule(interval: 3600, timeout: 1), delay: 0, runs: slowRuns)
        let scheduler = ProbeScheduler(probes: [fast, slow])
        await scheduler.start()  // returns at once
        var seen: [ProbeID: Int] = [:]
        for await result in scheduler.results {
            seen[result.probe, default: 0] += 1
            if seen["fast", default: 0] >= 5 { break }
        }
        await scheduler.stop()
        #expect(seen["slow"] == 1, "the slow probe ran once at start, not on the fast one's interval")
        #expect(await slowRuns.count == 1)
        #expect(await fastRuns.count >= 5)
    }

    /// Without the wake-up the second run would wait an hour: the time limit catches that hang.
    @Test(.timeLimit(.minutes(2))) func runNowWakesAProbeEarly() async {
        let runs = RunCounter()
        let probe = CountingProbe(id: "lazy", schedule: ProbeSchedule(interval: 3600, timeout: 1), delay: 0, runs: runs)
        let onDemand = CountingProbe(id: "deep", schedule: ProbeSchedule(interval: nil, timeout: 1), delay: 0, runs: RunCounter())
        let scheduler = ProbeScheduler(probes: [probe, onDemand])
        await scheduler.start()
        var iterator = scheduler.results.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.probe == "lazy")
        await scheduler.runNow("lazy")
        let second = await iterator.next()
        #expect(second?.probe == "lazy")
        await scheduler.runNow("deep")
        let third = await iterator.next()
        #expect(third?.probe == "deep", "an on-demand probe runs only when asked")
        #expect(await runs.count == 2)
        await scheduler.stop()
    }
}

@Suite("Probe history", .tags(.probes))
struct ProbeHistoryTests {
    @Test func keepsABoundedHistoryAndTheTimeOfTheLastChange() {
        var history = ProbeHistory(capacity: 3)
        #expect(history.status == .unknown)
        let t0 = Date(timeIntervalSince1970: 1000)
        let first = history.record(ProbeResult(probe: .valkey, status: .ok, latency: 0.01, time: t0))
        #expect(first)
        let same = history.record(ProbeResult(probe: .valkey, status: .ok, latency: 0.02, time: t0 + 10))
        #expect(!same)
        #expect(history.lastChange == t0)
        let failed = history.record(ProbeResult(probe: .valkey, status: .failing, latency: nil, time: t0 + 20))
        #expect(failed)
        let recovered = history.record(ProbeResult(probe: .valkey, status: .ok, latency: 0.04, time: t0 + 30))
        #expect(recovered)
        #expect(history.results.count == 3)
        #expect(history.latencies == [0.02, 0, 0.04])
        #expect(history.lastChange == t0 + 30)
        #expect(history.status == .ok)
    }
}
