import Foundation
import OpsAdapters
import OpsCore

/// Containers the tests make for themselves, from the local base image the podman tests share,
/// labelled so the podman suite's clean-up finds any a crashed run left.
enum TestContainers {
    static let baseImage = "localhost/opencode-ops-test/debian:bookworm"
    static let label = "opencode-ops-test=podman"
    static let podman = PodmanClient(settings: Settings())

    /// A fresh name under the podman tests' prefix.
    static func name(_ purpose: String) -> String {
        "ooptest-console-\(purpose)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs `command` in a new container named `name`; `detached` returns at once.
    static func run(_ name: String, detached: Bool = false, _ command: [String]) async throws -> ProcessResult {
        if try await podman.run(["image", "exists", baseImage]).exitCode != 0 {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Support/base-image.sh").path
            _ = try await ProcessRunner().run("bash", [script])
        }
        return try await podman.run(["run"] + (detached ? ["-d"] : []) + ["--name", name, "--label", label, baseImage] + command)
    }

    static func remove(_ name: String) async {
        _ = try? await podman.run(["rm", "--force", "--time", "0", "--", name])
    }
}
