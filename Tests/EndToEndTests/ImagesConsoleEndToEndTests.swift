import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// Images and disk by keys: after three builds, `I` lists the configured image and the two
    /// leftovers the builds left, `P` asks with the bytes it frees, `y` removes the leftovers
    /// only, and the audit log records it.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(5)))
    struct ImagesConsoleEndToEndTests {
        @Test func pPrunesTheLeftoversOfEarlierBuildsAndKeepsTheImage() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "images", port: 14540, run)
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            var built: [String] = []
            for _ in 0..<3 {
                try workspace.changeContainerfile()
                let build = try await workspace.opsCommand(["build"])
                try #require(build.succeeded, "build failed: \(build.stderrText)")
                built.append(try await workspace.inspect(["image", "inspect", "--format", "{{.Id}}", workspace.image]))
            }
            try #require(Set(built).count == 3, "the builds did not make three images")
            // The subcommand without --yes says what would go and changes nothing.
            let plan = try await workspace.opsCommand(["prune", "--json"])
            #expect(plan.succeeded, "prune --json failed: \(plan.stderrText)")
            let wouldRemove = try #require(try JSONSerialization.jsonObject(with: plan.stdout) as? [String: Any])["would_remove"] as? [[String: Any]]
            #expect(Set(wouldRemove?.compactMap { $0["id"] as? String } ?? []) == Set(built.prefix(2)))
            #expect(try await PodConsoleWorkspace.podman(["image", "exists", "--", built[0]]).succeeded, "prune without --yes removed an image")

            try await TmuxSession.with(width: 100, height: 30, command: try workspace.consoleCommand()) { tmux in
                try await tmux.waitFor("1 Health")
                try await tmux.send("I")
                let listing = try await tmux.waitFor("goes with P")
                #expect(listing.contains("Images of \(workspace.image)"))
                #expect(listing.contains("current  \(built[2].prefix(12))"))
                #expect(listing.contains("P prunes 2"))
                try await tmux.send("P")
                let question = try await tmux.waitFor("Prune old images?")
                #expect(question.contains(String(built[0].prefix(12))) && question.contains(String(built[1].prefix(12))))
                #expect(!question.contains(String(built[2].prefix(12))), "the configured image is offered for removal")
                try await tmux.send("y")
                try await tmux.openMessages(showing: "removed 2 images", timeout: 120)
                try await tmux.send("Escape")
                try await tmux.send("I")
                try await tmux.waitFor("nothing to prune")
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }
            #expect(try await PodConsoleWorkspace.podman(["image", "exists", "--", built[2]]).succeeded, "the configured image was removed")
            for leftover in built.prefix(2) {
                #expect(try await !PodConsoleWorkspace.podman(["image", "exists", "--", leftover]).succeeded, "leftover \(leftover.prefix(12)) is still there")
            }
            let listing = try await workspace.opsCommand(["images", "--json"])
            let images = try #require(try JSONSerialization.jsonObject(with: listing.stdout) as? [String: Any])["images"] as? [[String: Any]]
            #expect(images?.count == 1 && images?.first?["role"] as? String == "current", "\(images ?? [])")
            let audit = try String(contentsOfFile: workspace.directory + "/state/opencode-ops/audit.jsonl", encoding: .utf8)
            #expect(audit.contains("\"prune\"") && audit.contains("removed 2 images"), "no audit line for the prune: \(audit)")
        }
    }
}
