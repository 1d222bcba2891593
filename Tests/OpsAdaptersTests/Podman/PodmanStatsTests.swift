import Foundation
import OpsAdapters
import OpsCore
import Testing

/// `podman stats --format json` as podman 4.3 printed it here for a busybox container, one
/// array per second (`--interval 1`), byte for byte.
let capturedStatsStream = """
[
 {
  "id": "fc721f433cb4",
  "name": "opsstats-capture",
  "cpu_time": "43.529743ms",
  "cpu_percent": "2.10%",
  "avg_cpu": "2.10%",
  "mem_usage": "782.3kB / 25.28GB",
  "mem_percent": "0.00%",
  "net_io": "472B / 1.096kB",
  "block_io": "0B / 0B",
  "pids": "3"
 }
]
[
 {
  "id": "fc721f433cb4",
  "name": "opsstats-capture",
  "cpu_time": "44.531956ms",
  "cpu_percent": "0.10%",
  "avg_cpu": "1.45%",
  "mem_usage": "917.5kB / 25.28GB",
  "mem_percent": "0.00%",
  "net_io": "472B / 1.096kB",
  "block_io": "0B / 0B",
  "pids": "3"
 }
]
[
 {
  "id": "fc721f433cb4",
  "name": "opsstats-capture",
  "cpu_time": "45.982713ms",
  "cpu_percent": "0.14%",
  "avg_cpu": "1.13%",
  "mem_usage": "790.5kB / 25.28GB",
  "mem_percent": "0.00%",
  "net_io": "542B / 1.166kB",
  "block_io": "0B / 0B",
  "pids": "3"
 }
]

"""

/// `podman stats --no-stream --format json` of a container running a backup, as printed here.
let capturedStatsSample = """
[
 {
  "id": "08349959a801",
  "name": "opsbk-test-12f885d5",
  "cpu_time": "2.374967846s",
  "cpu_percent": "27.23%",
  "avg_cpu": "27.23%",
  "mem_usage": "9.839MB / 25.28GB",
  "mem_percent": "0.04%",
  "net_io": "0B / 0B",
  "block_io": "0B / 0B",
  "pids": "10"
 }
]
"""

@Suite struct PodmanStatsDecoderTests {
    @Test func oneSampleReadsEveryFigureInBytes() throws {
        let containers = try PodmanStatsDecoder.containers(from: Data(capturedStatsSample.utf8))
        #expect(containers == [ContainerStats(
            name: "opsbk-test-12f885d5", cpuPercent: 27.23, memoryUsed: 9_839_000, memoryLimit: 25_280_000_000,
            networkReceived: 0, networkSent: 0, blockRead: 0, blockWritten: 0, pids: 10
        )])
    }

    /// Written by hand, not captured: block I/O in other units, and figures that do not read
    /// (`--`) come out as zeros rather than failing the whole sample.
    @Test func otherUnitsAndUnreadableFigures() throws {
        let json = #"[{"name": "a", "cpu_percent": "150.5%", "mem_usage": "1.5GiB / 2GiB", "net_io": "1kB / 2MB", "block_io": "12.29MB / 4.096kB", "pids": "7"},"#
            + #" {"name": "b", "cpu_percent": "--", "mem_usage": "-- / --", "net_io": "-- / --", "block_io": "-- / --", "pids": "--"}]"#
        let containers = try PodmanStatsDecoder.containers(from: Data(json.utf8))
        #expect(containers == [
            ContainerStats(
                name: "a", cpuPercent: 150.5, memoryUsed: 1_610_612_736, memoryLimit: 2_147_483_648,
                networkReceived: 1000, networkSent: 2_000_000, blockRead: 12_290_000, blockWritten: 4096, pids: 7
            ),
            ContainerStats(name: "b", cpuPercent: 0, memoryUsed: 0, memoryLimit: 0, pids: nil),
        ])
    }

    @Test func theStreamSplitsIntoOneArrayPerIntervalWhateverTheChunks() throws {
        let bytes = Array(capturedStatsStream.utf8)
        for chunkSize in [1, 7, 64, bytes.count] {
            var stream = PodmanStatsStream()
            var arrays: [Data] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + chunkSize, bytes.count)
                arrays += stream.feed(Data(bytes[offset..<end]))
                offset = end
            }
            #expect(arrays.count == 3, "chunks of \(chunkSize)")
            let samples = try arrays.map { try PodmanStatsDecoder.containers(from: $0) }
            #expect(samples.map { $0.first?.cpuPercent } == [2.10, 0.10, 0.14])
            #expect(samples.map { $0.first?.memoryUsed } == [782_300, 917_500, 790_500])
            #expect(samples.last?.first?.networkReceived == 542 && samples.last?.first?.networkSent == 1166)
        }
    }

    @Test func bracketsInsideStringsDoNotEndAnArray() throws {
        var stream = PodmanStatsStream()
        let arrays = stream.feed(Data(#"[{"name": "odd]name[\"x", "cpu_percent": "1%"}]"#.utf8) + Data("\n[]\n".utf8))
        #expect(arrays.count == 2)
        #expect(try PodmanStatsDecoder.containers(from: arrays[0]).first?.name == "odd]name[\"x")
        #expect(try PodmanStatsDecoder.containers(from: arrays[1]).isEmpty)
    }

    @Test func somethingElseIsAnUnexpectedOutputFailure() {
        #expect(throws: PodmanFailure.self) { try PodmanStatsDecoder.containers(from: Data("json".utf8)) }
    }
}

extension PodmanTests {
    /// The real `podman stats` against a running container: one sample, and a stream that ends
    /// when told to.
    @Suite struct Stats {
        typealias Support = PodmanTestSupport

        @Test func aSampleAndAStreamOfARunningContainerAndTheStreamStops() async throws {
            let name = Support.namePrefix + "stats"
            _ = try await Support.podman(["rm", "--force", "--time", "0", name])
            let run = try await Support.podman([
                "run", "-d", "--name", name, "--label", "\(Support.label)=\(Support.labelValue)", "--stop-timeout", "1",
                Support.baseImage, "sh", "-c", "while true; do head -c 2000000 /dev/urandom | md5sum >/dev/null; sleep 0.2; done",
            ])
            #expect(run.succeeded, "\(run.stderrText)")
            defer { Task { _ = try? await Support.podman(["rm", "--force", "--time", "0", name]) } }

            let stats = PodmanStats(client: Support.client)
            let sample = try await stats.sample(containers: [name, "no-such-container"])
            #expect(sample.map(\.name) == [name])
            #expect((sample.first?.memoryUsed ?? 0) > 0 && (sample.first?.memoryLimit ?? 0) >= (sample.first?.memoryUsed ?? 0))

            let received = SampleBox()
            let stop = stats.stream(containers: [name], interval: 1, onSample: { received.add($0) }, onEnd: { received.end($0) })
            let deadline = Date().addingTimeInterval(120)
            while received.count < 2 && received.ended == nil && Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(received.count >= 2, "samples: \(received.count), ended: \(received.ended ?? "no")")
            #expect(received.all.allSatisfy { $0.map(\.name) == [name] })
            #expect(received.all.contains { ($0.first?.cpuPercent ?? 0) > 0 }, "no CPU use seen in a busy container")
            let children = try await Self.statsChildren()
            #expect(children.count == 1, "\(children)")
            stop()
            var left = children
            while !left.isEmpty && Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
                left = try await Self.statsChildren()
            }
            #expect(left.isEmpty, "podman stats still runs after stop: \(left)")
            #expect(received.ended == nil, "a stop was reported as podman ending by itself")
        }

        static func statsChildren() async throws -> [String] {
            let result = try await ProcessRunner().run("pgrep", ["-P", "\(getpid())", "-f", "podman stats"])
            return result.stdoutText.split(separator: "\n").map(String.init)
        }
    }
}

private final class SampleBox: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [[ContainerStats]] = []
    private var reason: String?

    func add(_ sample: [ContainerStats]) { lock.withLock { samples.append(sample) } }
    func end(_ why: String) { lock.withLock { reason = why } }
    var count: Int { lock.withLock { samples.count } }
    var all: [[ContainerStats]] { lock.withLock { samples } }
    var ended: String? { lock.withLock { reason } }
}
