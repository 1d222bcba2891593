import Foundation
import OpsAdapters
import Testing

/// A private tmux server running one command in a pane of a fixed size: the real binary in a
/// real terminal, driven by keys and read back as text.
final class TmuxSession: Sendable {
    let socket = "opencode-ops-e2e-\(UUID().uuidString.prefix(8))"
    let session = "console"
    private let runner = ProcessRunner()

    private init() {}

    static func start(width: Int, height: Int, command: String) async throws -> TmuxSession {
        let tmux = TmuxSession()
        // The server that new-session starts would keep our output pipes open; it gets none.
        let arguments = tmux.base + ["new-session", "-d", "-s", tmux.session, "-x", "\(width)", "-y", "\(height)", command]
        let result = try await tmux.runner.run("sh", ["-c", "exec \"$@\" </dev/null >/dev/null 2>&1", "sh"] + arguments)
        guard result.succeeded else { throw E2EError("tmux new-session failed (exit \(result.exitCode))") }
        return tmux
    }

    /// Starts a session, runs `body` with it, and stops the session whether `body` passed or
    /// threw (then with the screen and messages recorded, as `stop(after:)` does).
    static func with(width: Int, height: Int, command: String, _ body: (TmuxSession) async throws -> Void) async throws {
        let tmux = try await start(width: width, height: height, command: command)
        do {
            try await body(tmux)
        } catch {
            await tmux.stop(after: error)
            throw error
        }
        await tmux.stop()
    }

    var base: [String] { ["tmux", "-L", socket, "-f", "/dev/null"] }

    func stop() async {
        _ = try? await tmux(["kill-server"])
    }

    /// Stops the session after `error` ended a test. A timed-out wait already carries the screen
    /// and the messages list; any other error (a failed `#require`, a podman call) gets them
    /// recorded here, so the CI log shows what the console showed.
    func stop(after error: any Error) async {
        if !(error is E2EError) {
            let screen = (try? await screen()) ?? "(no screen)"
            Issue.record("the console when the test failed:\n\(screen)\n\(await messagesReport())")
        }
        await stop()
    }

    @discardableResult
    func tmux(_ arguments: [String]) async throws -> String {
        let result = try await runner.run("tmux", Array(base.dropFirst()) + arguments)
        guard result.succeeded else {
            throw E2EError("tmux \(arguments.joined(separator: " ")) failed: \(result.stderrText)")
        }
        return result.stdoutText
    }

    func send(_ keys: String...) async throws {
        try await tmux(["send-keys", "-t", session] + keys)
    }

    func screen() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", session])
    }

    func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// A pane variable such as `alternate_on` or `cursor_flag`.
    func paneFlag(_ name: String) async throws -> String {
        try await tmux(["display-message", "-p", "-t", session, "#{\(name)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the screen contains `text`; fails with the screen when it never does.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = shortestCeiling) async throws -> String {
        try await waitUntil("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Presses `key` until the screen shows `answer`, for a key whose answer shows only for a
    /// while (the footer keeps one 5 s) and that answers the same each time it is pressed: on a
    /// starved machine the screen reads can miss that window, so a missed answer is asked for
    /// again. The last wait fails with the screen it saw.
    func press(_ key: String, until answer: String) async throws -> String {
        for _ in 0..<12 {
            try await send(key)
            for _ in 0..<40 {
                let screen = try await screen()
                if screen.contains(answer) { return screen }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        return try await waitFor(answer)
    }

    /// Opens the messages list (`m`) and waits until it is drawn and shows `text`. Waiting for the
    /// list's title as well matters: the status line may already show `text` before the key is
    /// read.
    @discardableResult
    func openMessages(showing text: String, timeout: TimeInterval = shortestCeiling) async throws -> String {
        try await send("m")
        return try await waitUntil("the messages list showing \"\(text)\"", timeout: timeout) {
            $0.contains(Self.messagesTitle) && $0.contains(text)
        }
    }

    static let messagesTitle = "Messages (j/k scroll"

    /// The least time any wait allows. A wait ends as soon as its condition holds, so the
    /// ceiling only separates "happened" from "hung": it is no speed check, and a machine busy
    /// with other work cannot fail a test by being slow. A shorter `timeout` is raised to it.
    static let shortestCeiling: TimeInterval = 120

    /// Waits until `condition` holds for the screen; `what` names it in the failure, which also
    /// carries the last screen and the console's messages list, so the CI log shows the cause.
    @discardableResult
    func waitUntil(
        _ what: String, timeout: TimeInterval = shortestCeiling, _ condition: (String) -> Bool
    ) async throws -> String {
        let ceiling = max(timeout, Self.shortestCeiling)
        let deadline = Date().addingTimeInterval(ceiling)
        var last = ""
        while Date() < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw E2EError("timed out after \(Int(ceiling)) s waiting for \(what); screen was:\n\(last)\n\(await messagesReport())")
    }

    /// The console's messages list as the failure report shows it: opened with `m` (after Escape
    /// closes whatever overlay is up) when it is not on screen already. Only failing tests call
    /// this, so the keys it sends cannot disturb a passing one.
    func messagesReport() async -> String {
        var screen = (try? await self.screen()) ?? ""
        if !screen.contains(Self.messagesTitle) {
            _ = try? await send("Escape")
            _ = try? await send("m")
            for _ in 0..<50 where !screen.contains(Self.messagesTitle) {
                try? await Task.sleep(for: .milliseconds(100))
                screen = (try? await self.screen()) ?? ""
            }
        }
        guard screen.contains(Self.messagesTitle) else { return "messages list: not shown (the console may have exited)" }
        return "messages list:\n\(screen)"
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Where the built binary and the tools are; the test fails (never skips) when they are missing.
enum Harness {
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["OPENCODE_OPS_BINARY"] { return path }
        // The test bundle sits beside the built products.
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [products, products.deletingLastPathComponent()].map { $0.appendingPathComponent("opencode-ops").path }
        guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw E2EError("opencode-ops binary not found beside the tests (looked at \(candidates)); run `swift build` first")
        }
        return found
    }

    static func requireTmux() async throws {
        let result = try? await ProcessRunner().run("tmux", ["-V"])
        guard result?.succeeded == true else { throw E2EError("tmux is required but not installed (Tests/jobs/setup.sh installs it)") }
    }

    /// A scratch directory with a Containerfile and an XDG config holding only a secrets file
    /// (none with `secrets: false`: the first run), so the console starts the same way on every
    /// machine.
    static func workspace(secrets: Bool = true) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opencode-ops-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("config"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("state"), withIntermediateDirectories: true)
        if secrets {
            let folder = directory.appendingPathComponent("config/opencode-ops")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("secrets.env")
            try "# test workspace\n".write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
        try "FROM scratch\nENV FALKORDB_HOST=localhost FALKORDB_PORT=6379\n"
            .write(to: directory.appendingPathComponent("Containerfile"), atomically: true, encoding: .utf8)
        return directory
    }

    /// The shell line tmux runs: the console, then its exit code where the test can read it.
    static func command(in directory: URL, locale: String = "C.UTF-8", arguments: String = "") throws -> String {
        let environment = "LANG=\(locale) LC_ALL=\(locale) TERM=tmux-256color XDG_CONFIG_HOME=\(directory.path)/config XDG_STATE_HOME=\(directory.path)/state"
        return "cd \(directory.path) && env \(environment) \(try binary()) \(arguments); echo EXIT=$?; sleep 600"
    }

    /// Runs `body` with the console started in a fresh workspace and its first frame drawn;
    /// the tmux server is stopped afterwards whether the body passed or threw.
    static func withConsole(
        width: Int = 80, height: Int = 24, locale: String = "C.UTF-8",
        files: [String: String] = [:], secrets: Bool = true, arguments: String = "",
        _ body: (TmuxSession) async throws -> Void
    ) async throws {
        try await requireTmux()
        let directory = try workspace(secrets: secrets)
        // Extra files for this run, by path inside the workspace (e.g. "config/opencode-ops/config.yaml").
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try await TmuxSession.with(
            width: width, height: height, command: try command(in: directory, locale: locale, arguments: arguments)
        ) { tmux in
            try await tmux.waitFor("1 Health")
            try await body(tmux)
        }
    }
}
