import Foundation

/// Runs RESP commands with `redis-cli` through a command runner: with `PodmanExec`, inside the
/// OpenCode container, which shares localhost with the database sidecars, so the check works
/// when the database ports are not published. The password travels in `REDISCLI_AUTH`, never
/// as an argument.
public struct RedisCLITransport: RESPTransport {
    public var runner: CommandRunner
    public var executable: String

    public init(runner: @escaping CommandRunner, executable: String = "redis-cli") {
        self.runner = runner
        self.executable = executable
    }

    public func run(_ commands: [[String]], on endpoint: RESPEndpoint, timeout: Double) async throws -> [RESPValue] {
        var base = [executable, "-h", endpoint.host, "-p", String(endpoint.port), "--no-raw"]
        if let username = endpoint.username { base += ["--user", username] }
        var environment: [String: String] = [:]
        if let password = endpoint.password { environment["REDISCLI_AUTH"] = password }
        var replies: [RESPValue] = []
        for command in commands {
            let output = try await runner(base + command, environment)
            // redis-cli prints "AUTH failed: <server words>" on stderr and carries on unauthenticated.
            if let line = output.stderrText.split(separator: "\n").first(where: { $0.hasPrefix("AUTH failed") }) {
                throw RESPCommandError.authentication(String(line.dropFirst("AUTH failed: ".count)))
            }
            guard output.exitCode == 0 else {
                let message = output.stderrText.split(separator: "\n").first.map(String.init) ?? ""
                throw RESPCommandError.cli(exitCode: output.exitCode, message: message)
            }
            replies.append(RedisCLIReplyParser.parse(output.stdoutText))
        }
        return replies
    }
}
