import Foundation

/// Runs an argument array (no shell) with extra environment variables and returns its output.
/// The seam between probes and processes: the pod-side checks wrap it with `podman exec`.
public typealias CommandRunner = @Sendable (_ arguments: [String], _ environment: [String: String]) async throws -> ProcessResult

/// Runs commands as local child processes through `ProcessRunner` (looked up on PATH; a
/// cancelled probe stops its process).
public enum LocalCommand {
    public static let run: CommandRunner = { arguments, environment in
        guard let executable = arguments.first else { throw ProcessLaunchError.executableNotFound("") }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        return try await ProcessRunner(environment: merged).run(executable, Array(arguments.dropFirst()))
    }
}

/// Wraps a runner so every command runs inside a container with `podman exec`. Variables named
/// in `environment` are passed by name only (`--env NAME`), so podman copies them from its own
/// environment and their values never appear on a command line.
public struct PodmanExec: Sendable {
    public var podman: String
    public var connection: String
    public var container: String
    public var runner: CommandRunner

    public init(podman: String = "podman", connection: String = "", container: String, runner: @escaping CommandRunner = LocalCommand.run) {
        self.podman = podman
        self.connection = connection
        self.container = container
        self.runner = runner
    }

    public var run: CommandRunner {
        { [self] arguments, environment in
            try await runner(command(arguments, passing: environment.keys.sorted()), environment)
        }
    }

    /// The `podman exec` command line for `arguments`; `interactive` keeps stdin attached
    /// (`-i`), as a `ContainerChannel` needs.
    public func command(_ arguments: [String], passing names: [String] = [], interactive: Bool = false) -> [String] {
        var exec = ["exec"]
        if interactive { exec += ["-i"] }
        for name in names { exec += ["--env", name] }
        return [podman] + PodmanClient(binary: podman, connection: connection).arguments(exec + ["--", container] + arguments)
    }
}
