import Foundation
import OpsAdapters

/// The podman settings every end-to-end suite that drives podman shares: the repository's
/// test-only containers.conf, and whether such tests run here.
enum TestPodman {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let containersConf = repoRoot + "/Tests/Support/containers.conf"

    /// This process's environment with CONTAINERS_CONF pointing at the test configuration.
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINERS_CONF"] = containersConf
        return environment
    }()

    static var installed: Bool { TestTools.installed("podman") }

    /// Runs where podman is installed, and always under OPS_REQUIRE_TOOLS=1 (then a missing
    /// podman fails the tests instead of skipping them).
    static var shouldRun: Bool { TestTools.shouldRun("podman") }
}

/// The tools end-to-end tests need. A suite names them in `.enabled(if: TestTools.shouldRun(...))`:
/// where one is missing the suite is reported as skipped, and under OPS_REQUIRE_TOOLS=1 (CI) it
/// runs anyway and `require` fails it with the tool's name. A missing tool is never a silent pass.
enum TestTools {
    static let required = ProcessInfo.processInfo.environment["OPS_REQUIRE_TOOLS"] == "1"

    static func installed(_ tool: String) -> Bool {
        (try? ProcessRunner(environment: TestPodman.environment).locate(tool)) != nil
    }

    static func shouldRun(_ tools: String...) -> Bool {
        required || tools.allSatisfy(installed)
    }

    static func require(_ tools: String...) throws {
        let missing = tools.filter { !installed($0) }
        guard missing.isEmpty else {
            throw E2EError("\(missing.joined(separator: ", ")) required (OPS_REQUIRE_TOOLS=1) but not installed")
        }
    }
}

extension String {
    /// Writes a secrets file as an operator keeps it: readable by its owner only (an atomic
    /// write makes a new file, so the mode is set again after every write).
    func writeSecrets(to path: String) throws {
        try write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
