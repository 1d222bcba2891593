import ArgumentParser
import Foundation
import OpsAdapters
import OpsConsole
import OpsCore

/// What `health` and `env` share: settings, the env file's values, and the probes built from
/// them the way the console builds them.
struct ProbeCommandContext {
    var base: PodmanCommandContext
    var envFilePath: String
    /// Values from the env file; empty when the file does not exist. Holds secrets.
    var envFileValues: [String: String]

    var settings: Settings { base.settings }
    var containerName: String { PodmanRole.opencode.containerName(pod: settings.pod) }

    /// Loads settings and the env file; a malformed env file is an error naming its line.
    static func load() throws -> ProbeCommandContext {
        let base = PodmanCommandContext.load()
        base.reportDiagnostics()
        let path = base.paths.secretsFile(for: base.settings)
        var values: [String: String] = [:]
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                printError("error: cannot read env file \(path)")
                throw ExitCode(2)
            }
            do {
                let file = try EnvFile.parse(text, path: path)
                values = EnvLayers.dictionary(from: file, callerEnvironment: ProcessInfo.processInfo.environment)
            } catch {
                printError("error: \(error.message)")
                throw ExitCode(2)
            }
        }
        return ProbeCommandContext(base: base, envFilePath: path, envFileValues: values)
    }

    /// What the next `up` gives the container, without the image defaults (the probes know the
    /// image's defaults themselves). Holds secrets: only for building probes.
    var probeEnvironment: [String: String] {
        envFileValues.merging(settings.environment) { _, config in config }
    }

    /// Every probe, built the way the console builds them.
    func probeSet(directDatabases: Bool, b2Authorize: Bool) -> ProbeSet {
        ProbeSet(settings: settings, environment: probeEnvironment, client: base.client,
                 directDatabases: directDatabases, b2Authorize: b2Authorize)
    }

    func inspection() -> ContainerInspection {
        ContainerInspection(client: base.client, container: containerName)
    }
}

extension ProbeStatus {
    /// Symbol and word, so the state reads without colour.
    var label: String {
        switch self {
        case .ok: return "✔ ok"
        case .degraded: return "▲ degraded"
        case .failing: return "✘ failing"
        case .unknown: return "? unknown"
        case .notConfigured: return "– not configured"
        }
    }
}

extension ProbeResult {
    /// One line of `health` text output.
    var line: String {
        let latencyText = latency.map { String(format: "%6.0f ms", $0 * 1000) } ?? "       –"
        var text = "\(probe.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) "
            + "\(status.label.padding(toLength: 17, withPad: " ", startingAt: 0)) \(latencyText)  \(detail)"
        if let error { text += detail.isEmpty ? error : " — \(error)" }
        return text
    }
}
