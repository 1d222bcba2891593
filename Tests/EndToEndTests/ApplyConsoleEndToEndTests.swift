import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// The console against a real pod under tmux, keys only: `a` with nothing changed says so;
    /// after a secret changes, `a` names the variable (not its value), `y` runs the apply job,
    /// and only OpenCode is recreated, its data volume kept.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(5)))
    struct ApplyConsoleEndToEndTests {
        @Test func pressingAAppliesAChangedSecretToOpenCodeOnly() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "apply", port: 14512, run)
        }

        private func id(_ workspace: PodConsoleWorkspace, _ role: String) async throws -> String {
            try await workspace.inspect(["container", "inspect", "--format", "{{.Id}}", "\(workspace.pod)-\(role)"])
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            try #require(up.succeeded, "up failed: \(up.stderrText)")
            _ = try await workspace.inspect(["exec", workspace.opencodeContainer, "sh", "-c", "echo kept > /root/.local/share/opencode/marker"])
            let before = try await ["opencode", "falkordb", "valkey"].asyncMap { try await id(workspace, $0) }

            try await TmuxSession.with(width: 100, height: 30, command: try workspace.consoleCommand()) { tmux in
                try await tmux.waitFor("pod \(workspace.pod) ● running", timeout: 20)
                try await tmux.send("a")
                try await tmux.openMessages(showing: "nothing to apply", timeout: 30)
                try await tmux.send("Escape")

                try "OPS_TEST_SECRET=rotated-value\nOPENCODE_SERVER_PASSWORD=test-server-pw\n".writeSecrets(to: workspace.directory + "/config/opencode-ops/secrets.env")
                try await tmux.send("a")
                let dialog = try await tmux.waitFor("Apply changes to pod", timeout: 30)
                #expect(dialog.contains("variables changed: OPS_TEST_SECRET"), "\(dialog)")
                #expect(!dialog.contains("rotated-value"), "values are never shown")
                try await tmux.send("y")
                try await tmux.openMessages(showing: "(apply) succeeded", timeout: 120)
                try await tmux.send("Escape")
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }
            let after = try await ["opencode", "falkordb", "valkey"].asyncMap { try await id(workspace, $0) }
            #expect(after[0] != before[0], "OpenCode was recreated")
            #expect(Array(after[1...]) == Array(before[1...]), "the sidecars were not")
            let secret = try await workspace.inspect(["exec", workspace.opencodeContainer, "sh", "-c", "echo \"$OPS_TEST_SECRET\""])
            #expect(secret == "rotated-value")
            let marker = try await workspace.inspect(["exec", workspace.opencodeContainer, "cat", "/root/.local/share/opencode/marker"])
            #expect(marker == "kept", "the data volume is kept")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
