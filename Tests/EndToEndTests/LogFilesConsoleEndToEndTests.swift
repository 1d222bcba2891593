import Foundation
import OpsAdapters
import Testing

extension PodmanEndToEndTests {
    /// Logs by keys, against a real pod: with a filter set, `S` saves the matching lines of the
    /// container's whole log to a private file named in a message; Enter opens the log, `/`
    /// searches it and `n` moves between matches.
    @Suite(.serialized, .enabled(if: PodConsoleWorkspace.shouldRun), .timeLimit(.minutes(5)))
    struct LogFilesConsoleEndToEndTests {
        @Test func sSavesTheFilteredLogAndSlashSearchesIt() async throws {
            try await PodConsoleWorkspace.withWorkspace(name: "logfiles", port: 14541, run)
        }

        private func run(_ workspace: PodConsoleWorkspace) async throws {
            // The stand-in prints a few lines before it serves.
            let noisy = workspace.containerfile.replacingOccurrences(
                of: #"ENTRYPOINT ["/bin/httpd", "-f", "-p", "4096", "-h", "/www"]"#,
                with: #"ENTRYPOINT ["/bin/sh", "-c", "for i in 1 2 3; do echo alpha-$i; echo beta-$i; done; exec httpd -f -p 4096 -h /www"]"#
            )
            try #require(noisy != workspace.containerfile)
            try noisy.write(toFile: workspace.context + "/Containerfile", atomically: true, encoding: .utf8)
            try await workspace.buildInitialImage()
            let up = try await workspace.opsCommand(["up"])
            try #require(up.succeeded, "up failed: \(up.stderrText)")

            try await TmuxSession.with(width: 120, height: 30, command: try workspace.consoleCommand()) { tmux in
                try await tmux.waitFor("pod \(workspace.pod) ● running")
                try await tmux.send("4")
                try await tmux.waitFor("beta-3")
                try await tmux.send("/")
                for character in "beta" { try await tmux.send(String(character)) }
                try await tmux.send("Enter")
                try await tmux.send("S")
                let saved = try await tmux.openMessages(showing: "saved 3 lines")
                let folder = workspace.directory + "/state/opencode-ops/logs"
                let files = try FileManager.default.contentsOfDirectory(atPath: folder)
                let name = try #require(files.first, "no file in \(folder)")
                #expect(files.count == 1)
                #expect(name.hasPrefix("\(workspace.pod)-opencode-") && name.hasSuffix("Z.log"), "\(name)")
                // The message names the file (its long path wraps in the list, so the name may break
                // before its extension).
                #expect(saved.contains(String(name.dropLast(".log".count))), "\(saved)")
                let path = folder + "/" + name
                try await tmux.send("Escape")
                let text = try String(contentsOfFile: path, encoding: .utf8)
                #expect(text.contains("beta-1") && text.contains("beta-3") && !text.contains("alpha"), "\(text)")
                // Each line keeps podman's full time.
                #expect(text.split(separator: "\n").allSatisfy { $0.first?.isNumber == true && $0.contains("T") }, "\(text)")
                let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                #expect(mode == 0o600)
                let folderMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
                #expect(folderMode == 0o700)

                // The whole log, searched.
                try await tmux.send("Escape")
                try await tmux.send("Enter")
                try await tmux.waitFor("opencode log (/ search")
                try await tmux.send("/")
                for character in "alpha-" { try await tmux.send(String(character)) }
                try await tmux.send("Enter")
                try await tmux.waitFor("match 1 of 3")
                try await tmux.send("n")
                try await tmux.waitFor("match 2 of 3")
                try await tmux.send("Escape")
                try await tmux.send("q")
                try await tmux.waitFor("EXIT=0")
            }
        }
    }
}
