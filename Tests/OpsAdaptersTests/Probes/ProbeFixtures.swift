import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Real local servers for the probe tests: redis-server and the fake HTTP services script.
/// Ports come from 14400-14499: HTTP 14400-14439, closed ports 14440-14449, redis 14450-14499.
enum ProbeFixtures {
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("probes/fixtures")

    /// CI sets OPS_REQUIRE_TOOLS=1: a missing tool is then a failure, never a skip.
    static let toolsRequired = ProcessInfo.processInfo.environment["OPS_REQUIRE_TOOLS"] == "1"

    static func which(_ tool: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static let redisServer = which("redis-server")
    static let redisCLI = which("redis-cli")
    static let python = which("python3")

    /// Run redis tests when redis is here, or when its absence must fail the run.
    static var redisTestsEnabled: Bool { (redisServer != nil && redisCLI != nil) || toolsRequired }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: redis-server

    /// Starts a throwaway redis-server (config on stdin, so the password is on no command
    /// line), runs `body` with its port and stops the server.
    static func withRedis<T>(password: String? = nil, _ body: (Int) async throws -> T) async throws -> T {
        guard let redisServer else { throw Missing(description: "redis-server is not installed (Tests/probes/setup.sh installs it)") }
        var lastError = ""
        for _ in 0..<10 {
            guard let port = await PortClaims.shared.claim(in: 14450...14499) else { break }
            defer { Task { await PortClaims.shared.release(port) } }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: redisServer)
            process.arguments = ["-"]
            let input = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            var config = "port \(port)\nbind 127.0.0.1\nsave \"\"\nappendonly no\nloglevel warning\nlogfile \"\"\n"
            if let password { config += "requirepass \(password)\n" }
            input.fileHandleForWriting.write(Data(config.utf8))
            try input.fileHandleForWriting.close()
            if await waitForPort(port, process: process) {
                defer { stop(process) }
                return try await body(port)
            }
            stop(process)
            lastError = "redis-server did not start on port \(port)"
        }
        throw Missing(description: lastError.isEmpty ? "no free port in 14450-14499" : lastError)
    }

    // MARK: fake HTTP services

    /// Credentials the fake services expect; test values, given to the fixture by environment.
    static let openCodePassword = "pw-fixture-7f3a"
    static let b2KeyID = "0012fixturekeyid"
    static let b2Key = "K001fixturesecretkey"
    static let configSecret = "sk-config-body-secret-91c"

    /// Starts fake_services.py, runs `body` with its base URL and stops it.
    static func withFakeServices<T>(slowSeconds: Double = 5, _ body: (URL) async throws -> T) async throws -> T {
        guard let python else { throw Missing(description: "python3 is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [fixturesDirectory.appendingPathComponent("fake_services.py").path, "14400", "14439"]
        var environment = ProcessInfo.processInfo.environment
        environment["FAKE_OPENCODE_PASSWORD"] = openCodePassword
        environment["FAKE_B2_KEY_ID"] = b2KeyID
        environment["FAKE_B2_KEY"] = b2Key
        environment["FAKE_CONFIG_SECRET"] = configSecret
        environment["FAKE_SLOW_SECONDS"] = String(slowSeconds)
        environment["FAKE_EXIT_ON_EOF"] = "1"
        process.environment = environment
        let input = Pipe()
        process.standardInput = input
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            stop(process)
            try? input.fileHandleForWriting.close()
        }
        // The first line is "PORT <n>" once the server listens.
        let line = try await readLine(from: output.fileHandleForReading)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            throw Missing(description: "fake_services.py did not start: \(line)")
        }
        return try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }

    private static func readLine(from handle: FileHandle) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.readData(ofLength: 1)
                    guard let byte = chunk.first, byte != 10 else { break }
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    /// SIGKILL, not SIGTERM: children of the test runner may inherit a mask that blocks SIGTERM.
    private static func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    // MARK: ports

    /// Ports handed to servers started by this test process. Suites run in parallel: two of
    /// them could otherwise pick the same free port before either server bound it, and one
    /// would then talk to the other's server.
    actor PortClaims {
        static let shared = PortClaims()
        private var claimed: Set<Int> = []

        func claim(in range: ClosedRange<Int>) -> Int? {
            for _ in 0..<50 {
                let port = Int.random(in: range)
                if !claimed.contains(port), ProbeFixtures.portIsFree(port) {
                    claimed.insert(port)
                    return port
                }
            }
            return nil
        }

        func release(_ port: Int) {
            claimed.remove(port)
        }
    }

    static func portIsFree(_ port: Int) -> Bool {
        onLoopback(port) { fd, address, length in bind(fd, address, length) }
    }

    /// Runs `call` (bind or connect) on a new TCP socket with 127.0.0.1:`port`; true when it
    /// returned 0.
    private static func onLoopback(
        _ port: Int, _ call: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                call(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A port in the range nothing listens on, for "connection refused".
    static func closedPort() -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 14440...14449)
            if portIsFree(port) { return port }
        }
        return 14449
    }

    /// Up to two minutes: redis-server starts in milliseconds, but CI runs many suites at once.
    private static func waitForPort(_ port: Int, process: Process) async -> Bool {
        for _ in 0..<4000 {
            if !process.isRunning { return false }
            if !portIsFree(port) && canConnect(port) { return true }
            try? await Task.sleep(nanoseconds: 30_000_000)
        }
        return false
    }

    private static func canConnect(_ port: Int) -> Bool {
        onLoopback(port) { fd, address, length in connect(fd, address, length) }
    }

    /// Fails when a secret shows up anywhere a result can be printed or encoded.
    static func expectNoSecrets(_ value: some Encodable, _ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let text = String(describing: value) + String(reflecting: value) + json
        for secret in secrets {
            #expect(!text.contains(secret), "a secret appeared in output", sourceLocation: sourceLocation)
        }
    }
}
