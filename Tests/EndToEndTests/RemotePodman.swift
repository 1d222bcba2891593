import Foundation
import OpsAdapters

/// A second podman engine reached over SSH, as an operator's remote host would be: `podman
/// system service` on a socket in a private temporary folder, and an sshd on 127.0.0.1 (a free
/// port, a fresh host key and client key, only that key accepted). Clients get `CONTAINER_HOST`
/// and `CONTAINER_SSHKEY`, and a HOME whose known_hosts already holds the host key, so podman
/// prints no host-key warnings. Both servers share this machine's image store, so cached test
/// images need no copying.
struct RemotePodman: Sendable {
    let directory: String
    let port: Int
    private let service: ProcessBox
    private let sshd: ProcessBox

    /// Runs where the tools are, and always under OPS_REQUIRE_TOOLS=1 (then `with` fails).
    static var shouldRun: Bool { TestTools.required || (TestTools.installed("podman") && TestTools.installed("ssh-keygen") && sshd != nil) }

    /// sshd lives in /usr/sbin, which a non-root PATH may lack.
    static var sshd: String? {
        (try? ProcessRunner(environment: TestPodman.environment).locate("sshd").path)
            ?? (FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") ? "/usr/sbin/sshd" : nil)
    }

    var socketPath: String { directory + "/podman.sock" }
    var url: String { "ssh://root@127.0.0.1:\(port)\(socketPath)" }
    /// What the header shows for this engine: the URL without its socket path.
    var address: String { "ssh://root@127.0.0.1:\(port)" }
    var home: String { directory + "/home" }
    var key: String { directory + "/client_key" }

    /// The test environment (CONTAINERS_CONF) pointed at this engine.
    var environment: [String: String] {
        var environment = TestPodman.environment
        environment.merge(variables) { _, new in new }
        return environment
    }

    /// The variables a client needs, for a shell line (`env NAME=value ...`).
    var variables: [String: String] {
        ["CONTAINER_HOST": url, "CONTAINER_SSHKEY": key, "HOME": home]
    }

    /// The name under which `connectionEnvironment` knows this engine (`podman.connection`).
    static let connectionName = "opsremote"

    /// The test environment with podman's variables unset and a containers.conf that names this
    /// engine as a connection (written by hand: `podman system connection add` on 4.3 drops the
    /// socket path).
    var connectionEnvironment: [String: String] {
        var environment = TestPodman.environment
        environment.removeValue(forKey: "CONTAINER_HOST")
        environment.removeValue(forKey: "CONTAINER_CONNECTION")
        environment["CONTAINERS_CONF"] = directory + "/containers.conf"
        environment["HOME"] = home
        return environment
    }

    /// Starts both servers, runs `body`, and stops them and removes the folder whether it
    /// passed or threw.
    static func with<T>(_ body: (RemotePodman) async throws -> T) async throws -> T {
        try TestTools.require("podman", "ssh-keygen")
        guard sshd != nil else { throw E2EError("sshd required (OPS_REQUIRE_TOOLS=1) but not installed (openssh-server)") }
        let remote = try await start()
        do {
            let value = try await body(remote)
            remote.stop()
            return value
        } catch {
            remote.stop()
            throw error
        }
    }

    private static func start() async throws -> RemotePodman {
        let files = FileManager.default
        let directory = NSTemporaryDirectory() + "opsremote-\(UUID().uuidString.prefix(8))"
        try files.createDirectory(atPath: directory + "/home/.ssh", withIntermediateDirectories: true,
                                  attributes: [.posixPermissions: 0o700])
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        let runner = ProcessRunner(environment: TestPodman.environment)
        for name in ["host_key", "client_key"] {
            let made = try await runner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "opencode-ops-test", "-f", "\(directory)/\(name)"])
            guard made.succeeded else { throw E2EError("ssh-keygen: \(made.stderrText)") }
        }
        let clientKey = try String(contentsOfFile: directory + "/client_key.pub", encoding: .utf8)
        try writePrivate(clientKey, to: directory + "/authorized_keys")
        let port = try freePort()
        let hostKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        try writePrivate("[127.0.0.1]:\(port) \(hostKey)\n", to: directory + "/home/.ssh/known_hosts")
        try writePrivate("""
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            UsePAM no
            # The key files sit under the world-writable temporary folder.
            StrictModes no
            AllowStreamLocalForwarding yes

            """, to: directory + "/sshd_config")
        let testConf = try String(contentsOfFile: TestPodman.containersConf, encoding: .utf8)
        try writePrivate(testConf + """

            [engine.service_destinations.\(connectionName)]
            uri = "ssh://root@127.0.0.1:\(port)\(directory)/podman.sock"
            identity = "\(directory)/client_key"

            """, to: directory + "/containers.conf")
        // sshd refuses to start without its privilege separation folder.
        try? files.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])

        let podman = try runner.locate("podman").path
        guard let sshdPath = sshd else { throw E2EError("sshd not found") }
        // In its own folder: podman 4.3's service looks for a build's Containerfile in its working
        // directory before the build context, and the tests run in the repository, which has one.
        let service = try ProcessBox.launch(podman, ["system", "service", "--time=0", "unix://\(directory)/podman.sock"],
                                            environment: TestPodman.environment, log: directory + "/service.log", in: directory)
        let sshd: ProcessBox
        do {
            sshd = try ProcessBox.launch(sshdPath, ["-D", "-e", "-f", directory + "/sshd_config"],
                                         environment: TestPodman.environment, log: directory + "/sshd.log")
        } catch {
            service.stop()
            throw error
        }
        let remote = RemotePodman(directory: directory, port: port, service: service, sshd: sshd)
        do {
            try await remote.waitUntilReady()
        } catch {
            remote.stop()
            throw error
        }
        return remote
    }

    /// Answers once `podman info` reaches the service through sshd; a ceiling of a minute
    /// only separates "started" from "broken".
    private func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(60)
        var last = ""
        while Date() < deadline {
            if !service.isRunning || !sshd.isRunning { break }
            let info = try await podman(["info", "--format", "{{.Host.ServiceIsRemote}}"])
            if info.succeeded && info.stdoutText.hasPrefix("true") { return }
            last = info.stderrText
            try await Task.sleep(for: .milliseconds(200))
        }
        let logs = ["service.log", "sshd.log"].map { (try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8)) ?? "" }
        throw E2EError("remote podman did not answer: \(last.suffix(400))\nservice: \(logs[0].suffix(400))\nsshd: \(logs[1].suffix(400))")
    }

    /// Runs podman against this engine.
    @discardableResult
    func podman(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner(environment: environment).run("podman", arguments)
    }

    func stop() {
        sshd.stop()
        service.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func writePrivate(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// A port on 127.0.0.1 nothing listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw E2EError("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw E2EError("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A server process of the harness, its output going to a log file in the harness's folder.
final class ProcessBox: @unchecked Sendable {
    private let process: Process

    private init(process: Process) {
        self.process = process
    }

    static func launch(
        _ executable: String, _ arguments: [String], environment: [String: String], log: String, in directory: String? = nil
    ) throws -> ProcessBox {
        _ = FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o600])
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()
        return ProcessBox(process: process)
    }

    var isRunning: Bool { process.isRunning }

    /// SIGTERM, then SIGKILL if it has not ended within ten seconds.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
