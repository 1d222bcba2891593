import Foundation
import OpsAdapters
import OpsCore

/// `podman exec -it` of a shell or redis-cli, shared by `e`/`E` in the console and the `shell`
/// subcommand: the plan is built from the env file read at that moment (so a password added
/// since start-up is used), the run is audited, and the outcome comes back as one line.
enum ContainerExecSession {
    /// Reads the env file and the config's environment; a broken env file is a message naming it.
    static func plan(_ target: ExecTarget, settings: Settings, paths: AppPaths) -> Result<ContainerExecPlan, ExecSetupError> {
        let path = paths.secretsFile(for: settings)
        var values: [String: String] = [:]
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                return .failure(ExecSetupError(message: "cannot read env file \(path)"))
            }
            do {
                let file = try EnvFile.parse(text, path: path)
                values = EnvLayers.dictionary(from: file, callerEnvironment: ProcessInfo.processInfo.environment)
            } catch {
                return .failure(ExecSetupError(message: error.message))
            }
        }
        let environment = values.merging(settings.environment) { _, config in config }
        return .success(ContainerExecPlan(target: target, pod: settings.pod, environment: environment))
    }

    /// Runs the plan on this terminal and audits it; returns podman's exit status, or nil with
    /// the reason when podman could not start.
    static func run(_ plan: ContainerExecPlan, client: PodmanClient) -> (exitCode: Int32?, summary: String) {
        let action = "exec \(plan.target.program)"
        let leave = plan.target == .shell ? "exit" : "quit"
        FileHandle.standardOutput.write(Data("\(plan.target.program) in \(plan.container) (\(leave) to leave)\n".utf8))
        do {
            let code = try client.interactive(plan.podmanArguments, environment: plan.environment)
            CommandAudit.record(action, target: plan.container, result: code == 0 ? "succeeded" : "exited \(code)")
            return (code, "\(plan.target.program) in \(plan.container) ended (exit \(code))")
        } catch {
            CommandAudit.record(action, target: plan.container, result: "failed: \(error)")
            return (nil, "\(plan.target.program) in \(plan.container) failed: \(error)")
        }
    }
}

struct ExecSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
