import Foundation
import OpsCore

/// Runs probes concurrently, each on its own interval and under its own timeout, and streams
/// every result. Nothing here blocks the caller: `start` returns at once and results arrive on
/// `results`.
public actor ProbeScheduler {
    private let probes: [ProbeID: any Probe]
    private let order: [ProbeID]
    private var loops: [ProbeID: Task<Void, Never>] = [:]
    private var wakeups: [ProbeID: AsyncStream<Void>.Continuation] = [:]
    private let continuation: AsyncStream<ProbeResult>.Continuation
    /// Every result, in the order runs finish. Single consumer.
    public nonisolated let results: AsyncStream<ProbeResult>

    public init(probes: [any Probe]) {
        var byID: [ProbeID: any Probe] = [:]
        for probe in probes { byID[probe.id] = probe }
        self.probes = byID
        order = probes.map(\.id)
        (results, continuation) = AsyncStream<ProbeResult>.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    public var probeIDs: [ProbeID] { order }

    /// Starts one loop per probe that has an interval; on-demand probes wait for `runNow`.
    public func start() {
        for id in order where loops[id] == nil {
            guard let probe = probes[id] else { continue }
            let (wakeup, wakeupContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            wakeups[id] = wakeupContinuation
            let output = continuation
            loops[id] = Task {
                var iterator = wakeup.makeAsyncIterator()
                if probe.schedule.interval != nil { output.yield(await Self.run(probe)) }
                while !Task.isCancelled {
                    if let interval = probe.schedule.interval {
                        // Sleep until the interval passes or `runNow` wakes the loop early.
                        let nap = Task {
                            // A cancelled nap must not wake the loop: only a finished one does.
                            guard (try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))) != nil else { return }
                            wakeupContinuation.yield()
                        }
                        _ = await iterator.next()
                        nap.cancel()
                    } else if await iterator.next() == nil {
                        return
                    }
                    if Task.isCancelled { return }
                    output.yield(await Self.run(probe))
                }
            }
        }
    }

    /// Runs one probe now, out of turn; the result arrives on `results`. Unknown ids are ignored.
    public func runNow(_ id: ProbeID) {
        if let wakeup = wakeups[id] {
            wakeup.yield()
        } else if let probe = probes[id] {
            let output = continuation
            Task { output.yield(await Self.run(probe)) }
        }
    }

    /// Runs every probe once, concurrently, and returns the results in probe order. For
    /// `health` and tests; does not touch the stream.
    public func runOnce() async -> [ProbeResult] {
        let list = order.compactMap { probes[$0] }
        return await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (index, probe) in list.enumerated() {
                group.addTask { (index, await Self.run(probe)) }
            }
            var results = [ProbeResult?](repeating: nil, count: list.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    /// Stops every loop and ends the stream.
    public func stop() {
        for task in loops.values { task.cancel() }
        for wakeup in wakeups.values { wakeup.finish() }
        loops = [:]
        wakeups = [:]
        continuation.finish()
    }

    /// The scheduler's own timeout guard on top of the probe's, for probes that ignore theirs.
    private static func run(_ probe: any Probe) async -> ProbeResult {
        let id = probe.id
        let timeout = probe.schedule.timeout
        // A little slack so a probe's own, more precise timeout message wins when it works.
        return await withDeadline(seconds: timeout + 0.5, operation: { await probe.check() }) {
            ProbeResult(probe: id, status: .failing, latency: timeout, error: "timed out after \(formatSeconds(timeout))", time: Date())
        }
    }
}
