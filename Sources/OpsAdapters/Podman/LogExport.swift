import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#endif

/// Saves a log the console shows to a new private file under the state folder's `logs/`.
public struct LogExport: Sendable {
    public var client: PodmanClient
    public var directory: String

    public init(client: PodmanClient, directory: String) {
        self.client = client
        self.directory = directory
    }

    public struct Saved: Equatable, Sendable {
        public var path: String
        public var lines: Int
    }

    /// Writes the request's lines: a container's whole log as `podman logs --timestamps` prints
    /// it (each line keeps its full time), filtered as the panel is; the build output as given.
    /// Streams line by line, so a long log never sits in memory.
    public func save(_ request: LogSaveRequest, now: Date = Date()) async throws -> Saved {
        let path = (directory as NSString).appendingPathComponent(Self.fileName(request, now: now))
        // O_EXCL: a file of that name (or a link planted there) is never written through.
        let fd = try PrivateFiles.open(path, flags: O_WRONLY | O_EXCL)
        var writer = LineWriter(fd: fd, path: path)
        defer { close(fd) }
        do {
            guard let container = request.container else {
                for line in request.lines { try writer.write(line) }
                try writer.flush()
                return Saved(path: path, lines: writer.count)
            }
            let process = try client.start(["logs", "--timestamps", "--", container])
            var podmanErrors: [String] = []
            for await line in process.output {
                // The container's own stderr comes on podman's stderr too, as log lines with a time.
                let entry = LogEntry(podmanLine: line.text, isError: line.source == .stderr)
                if line.source == .stderr, entry.stamp.isEmpty {
                    podmanErrors.append(line.text)
                    continue
                }
                if entry.matches(request.filter) { try writer.write(line.text) }
            }
            try writer.flush()
            let code = await process.exitCode()
            guard code == 0 else {
                throw PodmanClient.failure(
                    arguments: ["logs"], result: ProcessResult(exitCode: code, stdout: Data(), stderr: Data(podmanErrors.joined(separator: "\n").utf8))
                )
            }
            return Saved(path: path, lines: writer.count)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// `<pod>-<source>-<yyyyMMdd-HHmmss>Z.log`: sorts by time, and names what it holds.
    static func fileName(_ request: LogSaveRequest, now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "\(request.pod)-\(request.source.rawValue)-\(formatter.string(from: now))Z.log"
    }

    /// Lines gathered into blocks of about 64 KB per write.
    private struct LineWriter {
        let fd: Int32
        let path: String
        var pending = Data()
        var count = 0

        mutating func write(_ line: String) throws {
            pending.append(contentsOf: line.utf8)
            pending.append(0x0A)
            count += 1
            if pending.count >= 65_536 { try flush() }
        }

        mutating func flush() throws {
            try PrivateFiles.writeAll(pending, to: fd, path: path)
            pending.removeAll(keepingCapacity: true)
        }
    }
}
