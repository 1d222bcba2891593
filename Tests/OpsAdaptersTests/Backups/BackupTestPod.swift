import Foundation
import OpsAdapters
import OpsCore

/// A real pod for the backup tests: an OpenCode stand-in built from the backup suite's tools
/// image (python3, rclone, redis) with the scripts at /app/scripts, and two redis-server
/// sidecars keeping their data in /data like FalkorDB and Valkey do. The remote is a local
/// directory inside the OpenCode container (`BACKUP_REMOTE`). Everything carries the label
/// `opencode-ops-test=console-backup`.
struct BackupTestPod: Sendable {
    static let label = "opencode-ops-test=console-backup"
    static let toolsImage = "localhost/opencode-ops-test/backup-tools:1"

    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINERS_CONF"] = repoRoot + "/Tests/Support/containers.conf"
        return environment
    }()

    static let toolsRequired = ProcessInfo.processInfo.environment["OPS_REQUIRE_TOOLS"] == "1"
    static var podmanInstalled: Bool { (try? ProcessRunner(environment: environment).locate("podman")) != nil }
    static var shouldRun: Bool { podmanInstalled || toolsRequired }

    static var podman: PodmanClient { PodmanClient(binary: "podman", runner: ProcessRunner(environment: environment)) }

    let pod: String
    /// The sidecars' requirepass, also in the OpenCode container as FALKORDB_PASSWORD and VALKEY_PASSWORD.
    var password: String?
    var target: BackupTarget {
        BackupTarget(container: "\(pod)-opencode", falkordb: "\(pod)-falkordb", valkey: "\(pod)-valkey")
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    static func run(_ arguments: [String], check: Bool = true) async throws -> ProcessResult {
        let result = try await ProcessRunner(environment: environment).run("podman", arguments)
        if check && !result.succeeded {
            throw SetupError(description: "podman \(arguments.prefix(3).joined(separator: " ")): \(result.stderrText.suffix(800))")
        }
        return result
    }

    /// Removes the pods a previous run of these tests left (by label and name prefix, so the
    /// end-to-end suite's pods with the same label are left alone).
    static func removeLeftovers() async {
        if let pods = try? await run(["pod", "ps", "-q", "--filter", "label=\(label)", "--filter", "name=^ocbk-(client|corrupt|reload|auth|lost)-"], check: false) {
            for id in pods.stdoutText.split(separator: "\n") { _ = try? await run(["pod", "rm", "-f", "-t", "0", String(id)], check: false) }
        }
    }

    /// The image with the scripts, tagged by a hash of their content so reruns reuse it.
    static func image() async throws -> String {
        let tools = try await ProcessRunner(environment: environment).run(repoRoot + "/Tests/backup/tools-image.sh", [toolsImage])
        guard tools.succeeded else { throw SetupError(description: "tools-image.sh: \(tools.stderrText.suffix(800))") }
        let scripts = repoRoot + "/scripts"
        var data = Data()
        let files = FileManager.default.enumerator(atPath: scripts)?.compactMap { $0 as? String }.filter { !$0.contains("__pycache__") }.sorted() ?? []
        for file in files {
            data.append(Data(file.utf8))
            data.append((try? Data(contentsOf: URL(fileURLWithPath: scripts + "/" + file))) ?? Data())
        }
        let tag = "localhost/opencode-ops-test/backup-console:\(String(Self.fnv(data), radix: 16))"
        if try await run(["image", "exists", tag], check: false).succeeded { return tag }
        let context = FileManager.default.temporaryDirectory.appendingPathComponent("bkimg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: context + "/scripts", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: context) }
        for name in ["backup", "restore", "list-backups", "opsbackup"] {
            try FileManager.default.copyItem(atPath: scripts + "/" + name, toPath: context + "/scripts/" + name)
        }
        try "FROM \(toolsImage)\nLABEL \(label)\nCOPY scripts /app/scripts\n".write(toFile: context + "/Containerfile", atomically: true, encoding: .utf8)
        try await run(["build", "-q", "-t", tag, context])
        return tag
    }

    static func fnv(_ data: Data) -> UInt64 {
        data.reduce(14_695_981_039_346_656_037 as UInt64) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    }

    /// Creates and starts the pod. `schedule` becomes BACKUP_SCHEDULE.
    /// `dataMegabytes` of random OpenCode data and an rclone bandwidth limit make a run last long
    /// enough to watch its progress.
    static func start(name: String, schedule: String? = "0 2 * * *", dataMegabytes: Int = 3, bandwidthLimit: String? = nil,
                      password: String? = nil, appendonly: Bool = false) async throws -> BackupTestPod {
        let image = try await image()
        let pod = BackupTestPod(pod: name, password: password)
        _ = try? await run(["pod", "rm", "-f", "-t", "0", name], check: false)
        try await run(["pod", "create", "--name", name, "--label", label, "--label", "\(PodmanLabels.pod)=\(name)", "--network", "none"])
        func sidecar(_ role: String, port: Int) -> [String] {
            ["run", "-d", "--pod", name, "--name", "\(name)-\(role)", "--label", label,
             "--label", "\(PodmanLabels.pod)=\(name)", "--label", "\(PodmanLabels.role)=\(role)", "-v", "/data",
             image, "redis-server", "--port", "\(port)", "--dir", "/data", "--save", "", "--appendonly", appendonly ? "yes" : "no"]
                + (password.map { ["--requirepass", $0] } ?? [])
        }
        try await run(sidecar("falkordb", port: 6379))
        try await run(sidecar("valkey", port: 6380))
        var opencode = ["run", "-d", "--pod", name, "--name", "\(name)-opencode", "--label", label,
                        "--label", "\(PodmanLabels.pod)=\(name)", "--label", "\(PodmanLabels.role)=opencode",
                        "-e", "BACKUP_REMOTE=/remote", "-e", "FALKORDB_PORT=6379", "-e", "VALKEY_PORT=6380",
                        "-e", "BACKUP_KEEP_LAST=5"]
        if let schedule { opencode += ["-e", "BACKUP_SCHEDULE=\(schedule)"] }
        if let password { opencode += ["-e", "FALKORDB_PASSWORD=\(password)", "-e", "VALKEY_PASSWORD=\(password)"] }
        if let bandwidthLimit { opencode += ["-e", "RCLONE_BWLIMIT=\(bandwidthLimit)"] }
        opencode += [image, "sh", "-c",
                     "mkdir -p /remote /root/.local/share/opencode /root/.config/opencode && "
                     + "echo '{\"theme\":\"x\"}' > /root/.config/opencode/opencode.json && "
                     + "head -c \(dataMegabytes * 1_000_000) /dev/urandom > /root/.local/share/opencode/blob.bin && exec sleep infinity"]
        try await run(opencode)
        // The sidecars answer once redis-server is listening.
        for port in ["6379", "6380"] {
            var ready = false
            for _ in 0..<600 where !ready {  // a ceiling of minutes: each try is a podman exec
                ready = (try? await run(["exec"] + pod.auth + ["\(name)-opencode", "redis-cli", "-p", port, "PING"], check: false))?.stdoutText.contains("PONG") == true
                if !ready { try await Task.sleep(nanoseconds: 200_000_000) }
            }
            if !ready { throw SetupError(description: "redis on \(port) did not start") }
        }
        return pod
    }

    func redis(_ port: Int, _ command: [String]) async throws -> String {
        try await Self.run(["exec"] + auth + [target.container, "redis-cli", "-p", "\(port)"] + command).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `podman exec` options giving redis-cli the test password (a throwaway value of this test pod).
    var auth: [String] { password.map { ["-e", "REDISCLI_AUTH=\($0)"] } ?? [] }

    func remove() async {
        _ = try? await Self.run(["pod", "rm", "-f", "-t", "0", pod], check: false)
    }
}
