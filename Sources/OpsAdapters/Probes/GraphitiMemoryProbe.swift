import Foundation
import OpsCore

/// The Graphiti memory helper's own status (`memory.py status`, run inside the OpenCode
/// container): exit 0 is ok with episode and entity counts; otherwise the helper's one-line
/// JSON names the error (`error.code`, `error.message`), which the result carries.
public struct GraphitiMemoryProbe: Probe {
    public let id: ProbeID = .graphiti
    /// A Python start-up per run (about a second of CPU): a long interval keeps the cost low.
    public var schedule: ProbeSchedule
    public var runner: CommandRunner
    public var command: [String]

    public static let defaultCommand = ["/opt/venv/bin/python", "/app/graphiti/memory.py", "status"]

    /// `runner` runs `command` where the helper lives: `PodmanExec(...).run` for the pod.
    public init(runner: @escaping CommandRunner, command: [String] = GraphitiMemoryProbe.defaultCommand,
                schedule: ProbeSchedule = ProbeSchedule(interval: 60, timeout: 20)) {
        self.runner = runner
        self.command = command
        self.schedule = schedule
    }

    public func check() async -> ProbeResult {
        let runner = runner
        let command = command
        return await timedCheck(id, timeout: schedule.timeout) {
            let output: ProcessResult
            do {
                output = try await runner(command, [:])
            } catch {
                return ProbeOutcome(.failing, error: "cannot run memory.py status: \(error)")
            }
            return Self.outcome(exitCode: output.exitCode, stdout: output.stdoutText, stderr: output.stderrText)
        }
    }

    /// Reads the helper's answer. Only counts, codes and its own error message are kept.
    static func outcome(exitCode: Int32, stdout: String, stderr: String) -> ProbeOutcome {
        let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix("{") }).map(String.init) ?? ""
        let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        if exitCode == 0, let object {
            func count(_ key: String) -> String { (object[key] as? Int).map(String.init) ?? "?" }
            var detail = "\(count("episodes")) episodes, \(count("entities")) entities, \(count("facts")) facts"
            if let missing = (object["indices"] as? [String: Any])?["missing"] as? [Any], !missing.isEmpty {
                detail += ", \(missing.count) indices missing"
                return ProbeOutcome(.degraded, detail: detail, error: "graph indices missing: run memory.py init")
            }
            if object["llm_configured"] as? Bool == false { detail += ", no LLM configured" }
            return ProbeOutcome(.ok, detail: detail)
        }
        if let error = object?["error"] as? [String: Any] {
            let code = error["code"] as? String ?? "error"
            let message = error["message"] as? String ?? ""
            return ProbeOutcome(.failing, detail: "exit \(exitCode)", error: message.isEmpty ? code : "\(code): \(message)")
        }
        // No JSON: podman itself failed (no container, no helper in the image).
        let said = stderr.split(separator: "\n").last.map(String.init) ?? "no output"
        if exitCode == 125 || exitCode == 126 || exitCode == 127 {
            return ProbeOutcome(.failing, detail: "exit \(exitCode)", error: String(said.prefix(200)))
        }
        return ProbeOutcome(.failing, detail: "exit \(exitCode)", error: "unexpected output: \(said.prefix(200))")
    }
}
