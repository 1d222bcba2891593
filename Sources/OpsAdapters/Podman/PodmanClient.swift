import Foundation
import OpsCore

/// The one place that runs the podman CLI: binary and `--connection` from the settings,
/// the caller's environment passed through (so `CONTAINER_HOST`, `CONTAINERS_CONF` and the
/// user's own podman configuration apply exactly as they do for podman itself).
public struct PodmanClient: Sendable {
    public static let minimumVersion = PodmanVersion(major: 4, minor: 0, patch: 0)

    public var binary: String
    public var connection: String
    public var runner: ProcessRunner

    public init(binary: String = "podman", connection: String = "", runner: ProcessRunner = ProcessRunner()) {
        self.binary = binary.isEmpty ? "podman" : binary
        self.connection = connection
        self.runner = runner
    }

    public init(settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(binary: settings.podmanBinary, connection: settings.podmanConnection, runner: ProcessRunner(environment: environment))
    }

    /// The engine this client drives, from the settings and podman's own variables.
    public var endpoint: PodmanEndpoint { PodmanEndpoint(connection: connection, environment: runner.environment) }

    /// True when podman talks to an engine elsewhere: host checks (ports, files) do not apply,
    /// and the pod's own ports are reached through `podman exec`.
    public var isRemote: Bool { endpoint.isRemote }

    /// Full argument list for podman: the global `--connection` first.
    public func arguments(_ arguments: [String]) -> [String] {
        connection.isEmpty ? arguments : ["--connection", connection] + arguments
    }

    /// Runs podman; a missing binary becomes `.notInstalled`. Any exit status is returned.
    public func run(_ arguments: [String], input: Data? = nil) async throws(PodmanFailure) -> ProcessResult {
        do {
            return try await runner.run(binary, self.arguments(arguments), input: input)
        } catch let error as ProcessLaunchError {
            throw Self.failure(launching: error, binary: binary)
        } catch {
            throw .commandFailed(command: Self.describe(arguments), exitCode: -1, detail: "\(error)")
        }
    }

    /// Runs podman and requires exit 0; returns stdout.
    @discardableResult
    public func checked(_ arguments: [String], input: Data? = nil) async throws(PodmanFailure) -> ProcessResult {
        let result = try await run(arguments, input: input)
        guard result.succeeded else { throw Self.failure(arguments: arguments, result: result) }
        return result
    }

    /// Starts a long-running podman (events, logs, build) whose lines are streamed, or whose
    /// output goes to `onChunk` as it is read.
    public func start(
        _ arguments: [String], onChunk: (@Sendable (ProcessOutputLine.Source, Data) -> Void)? = nil
    ) throws(PodmanFailure) -> RunningProcess {
        do {
            if let onChunk { return try runner.start(binary, self.arguments(arguments), onChunk: onChunk) }
            return try runner.start(binary, self.arguments(arguments))
        } catch let error as ProcessLaunchError {
            throw Self.failure(launching: error, binary: binary)
        } catch {
            throw .commandFailed(command: Self.describe(arguments), exitCode: -1, detail: "\(error)")
        }
    }

    /// `podman --version`, checked against the minimum this console needs.
    public func version() async throws(PodmanFailure) -> PodmanVersion {
        let result = try await checked(["--version"])
        guard let version = PodmanVersion(versionOutput: result.stdoutText) else {
            throw .unexpectedOutput(command: "podman --version", detail: result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard version >= Self.minimumVersion else {
            throw .tooOld(version: version.description, minimum: Self.minimumVersion.description)
        }
        return version
    }

    static func failure(launching error: ProcessLaunchError, binary: String) -> PodmanFailure {
        switch error {
        case .executableNotFound: .notInstalled(binary: binary)
        case .notExecutable(let path): .permissionDenied(detail: "\(path) is not executable")
        case .launchFailed(let executable, let reason): .commandFailed(command: executable, exitCode: -1, detail: reason)
        }
    }

    /// Turns a failed podman run into a failure naming the command and podman's own words.
    public static func failure(arguments: [String], result: ProcessResult) -> PodmanFailure {
        let detail = lastErrorLine(result.stderrText) ?? lastErrorLine(result.stdoutText) ?? "no output"
        if detail.lowercased().contains("permission denied") || detail.contains("EACCES") {
            return .permissionDenied(detail: detail)
        }
        return .commandFailed(command: describe(arguments), exitCode: result.exitCode, detail: detail)
    }

    /// The most telling line of podman's error output: the last `Error:` line, else the last
    /// non-empty one, with logrus noise (`time=... level=...`) reduced to its message.
    public static func lastErrorLine(_ text: String) -> String? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let error = lines.last(where: { $0.hasPrefix("Error:") }) {
            return String(error.dropFirst("Error:".count)).trimmingCharacters(in: .whitespaces)
        }
        let meaningful = lines.filter { !($0.contains("level=warning") || $0.contains("systemd")) }
        guard let last = meaningful.last ?? lines.last else { return nil }
        if let range = last.range(of: "msg=\"") {
            return String(last[range.upperBound...].dropLast(last.hasSuffix("\"") ? 1 : 0))
        }
        return last
    }

    /// `podman pod create ...`, shortened for messages.
    static func describe(_ arguments: [String]) -> String {
        "podman " + arguments.prefix(2).joined(separator: " ")
    }
}

extension PodmanClient {
    /// Runs podman on this terminal until it exits (`podman exec -it`), with `environment` added
    /// to podman's own; returns podman's exit status.
    public func interactive(_ arguments: [String], environment: [String: String] = [:]) throws(PodmanFailure) -> Int32 {
        do {
            return try InteractiveProcess.run(
                binary, arguments: self.arguments(arguments),
                environment: runner.environment.merging(environment) { _, added in added }
            )
        } catch {
            throw Self.failure(launching: error, binary: binary)
        }
    }
}
