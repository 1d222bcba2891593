import Foundation
import Testing

/// The real binary at 120×36 with no pod: the header names the server's URL, the image, the
/// podman connection and the theme; Health reads as a table under column headers, and the probes
/// that need the pod wait for it instead of failing.
@Suite(.enabled(if: TestTools.shouldRun("tmux", "podman")), .timeLimit(.minutes(5)))
struct HeaderAndHealthTableEndToEndTests {
    /// A pod name and port no other test uses, so no pod of theirs can answer.
    static let pod = "wd\(UUID().uuidString.prefix(6).lowercased())"
    static let port = 14730

    static var config: String {
        "pod: \(pod)\nport: \(port)\nimage: localhost/widths:e2e\ntheme: default\n"
    }

    @Test func headerAndHealthTableWithNoPod() async throws {
        // Podman answers that the pod is not there; without it the header would say so instead.
        try TestTools.require("tmux", "podman")
        try await Harness.withConsole(width: 120, height: 36, files: ["config/opencode-ops/config.yaml": Self.config]) { tmux in
            // Nothing says the pod is missing before podman has answered; once it has, the probes
            // that need the pod wait for it.
            let screen = try await tmux.waitUntil("the OpenCode row waiting for the pod", timeout: TmuxSession.shortestCeiling) { screen in
                screen.split(separator: "\n").contains { $0.contains("waiting for pod") && $0.contains("OpenCode") }
            }
            let lines = screen.split(separator: "\n").map(String.init)
            let header = lines[0]
            #expect(header.contains("http://127.0.0.1:\(Self.port)"), "header: \(header)")
            #expect(header.contains("image localhost/widths:e2e"), "header: \(header)")
            #expect(header.contains("podman local"), "header: \(header)")
            #expect(header.contains("theme default"), "header: \(header)")
            #expect(header.contains("pod \(Self.pod)"), "header: \(header)")

            let columns = lines.first { $0.contains("STATUS") && $0.contains("PROBE") }
            #expect(columns?.contains("LAST RUN") == true && columns?.contains("CHANGED") == true, "no column headers:\n\(screen)")
            // Health is the top left panel; its rows come before anything else there. Names are
            // full or short, as the width allows.
            let health = lines.map { String($0.prefix(60)) }
            for names in [["OpenCode HTTP", "OpenCode "], ["Healthcheck", "Podman HC"]] {
                let probe = names[0]
                let row = health.first { line in names.contains { line.contains($0) } }
                #expect(row?.contains("waiting for pod") == true, "\(probe): \(row ?? "missing")")
                #expect(row?.contains("failing") == false, "\(probe): \(row ?? "missing")")
            }

            // The theme key: the header names the theme it switched to.
            try await tmux.send("t")
            try await tmux.waitUntil("the header naming the next theme") { screen in
                let header = screen.split(separator: "\n")[0]
                return header.contains("theme ") && !header.contains("theme default")
            }

            // Enter on the selected probe: its details page.
            try await tmux.send("Enter")
            let details = try await tmux.waitFor("Esc closes")
            #expect(details.contains("status:"))
            try await tmux.send("Escape")
            try await tmux.waitUntil("the details page to close") { !$0.contains("Esc closes") }

            try await tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }
    }
}
