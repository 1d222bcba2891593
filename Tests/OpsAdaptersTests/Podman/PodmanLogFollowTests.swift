import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanTests {
    /// `podman logs --follow` of a container that prints far more than the view keeps.
    @Suite struct LogFollow {
        typealias Support = PodmanTestSupport

        @Test func aFloodingLogReachesTheReaderBoundedAndCounted() async throws {
            let name = Support.namePrefix + "log-flood"
            _ = try await Support.podman(["rm", "--force", "--time", "0", name])
            let run = try await Support.podman([
                "run", "-d", "--name", name, "--label", "\(Support.label)=\(Support.labelValue)", "--stop-timeout", "1",
                // The pause lets the follower start first, so every line passes through it.
                Support.baseImage, "sh", "-c", "sleep 2; seq 1 200000; sleep 120",
            ])
            #expect(run.succeeded, "\(run.stderrText)")
            defer { Task { _ = try? await Support.podman(["rm", "--force", "--time", "0", name]) } }

            let reader = Reader()
            let stop = PodmanLogs(client: Support.client).follow(container: name, tail: 2000, keep: 100) { reader.notice($0) }
            defer { stop() }
            // Nobody takes for a while: the tail holds 100 lines whatever arrives meanwhile.
            try await Task.sleep(for: .seconds(4))
            var seen = 0
            var newest = ""
            var takes = 0
            let deadline = Date().addingTimeInterval(120)
            while newest != "200000", Date() < deadline {
                if let tail = reader.tail {
                    let batch = tail.take()
                    takes += 1
                    #expect(batch.lines.count <= 100)
                    seen += batch.skipped + batch.lines.count
                    newest = batch.lines.last?.text ?? newest
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(reader.notices <= takes + 1, "a notice while the last one was not taken")
            #expect(newest == "200000", "the newest line did not arrive")
            #expect(seen == 200_000, "lines kept plus lines counted as skipped")
        }
    }
}

/// The test's side of the hand-over: the tail the notices name, and how many came.
private final class Reader: @unchecked Sendable {
    private let lock = NSLock()
    private var current: LineTail<PodmanLogLine>?
    private var count = 0

    func notice(_ tail: LineTail<PodmanLogLine>) {
        lock.withLock {
            current = tail
            count += 1
        }
    }

    var tail: LineTail<PodmanLogLine>? { lock.withLock { current } }
    var notices: Int { lock.withLock { count } }
}
