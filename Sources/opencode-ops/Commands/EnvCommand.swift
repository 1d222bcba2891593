import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops env`: every variable the image reads, where its value comes from, secrets
/// masked. Exit 2 when the env file cannot be read.
struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show the OpenCode container's environment: value (secrets masked), source, drift."
    )

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let context = try ProbeCommandContext.load()
        let inspection = context.inspection()
        async let imageDefaults = Self.imageDefaults(context)
        let running: [String: String]?
        if case .success(let snapshot?) = await inspection.value(), snapshot.container.state == .running {
            running = snapshot.environment
        } else {
            running = nil
        }
        let layers = EnvLayers(imageDefaults: await imageDefaults, envFile: context.envFileValues,
                               config: context.settings.environment, running: running,
                               declaredSecrets: context.settings.secretNames)
        let rows = EnvironmentModel.rows(layers)
        if json {
            emit(try HealthCommand.encode(EnvReport(envFile: context.envFilePath, containerRunning: running != nil, variables: rows)))
            return
        }
        let width = max(24, rows.map(\.name.count).max() ?? 0)
        for row in rows {
            let value = row.displayValue.count > 40 ? String(row.displayValue.prefix(39)) + "…" : row.displayValue
            var line = row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            line += value.padding(toLength: 40, withPad: " ", startingAt: 0) + "  "
            line += row.source.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
            let notes = [row.note, row.neededBy.isEmpty ? "" : "for \(row.neededBy)"].filter { !$0.isEmpty }
            emit((line + "  " + notes.joined(separator: "; ")).trimmingCharacters(in: .whitespaces))
        }
        let missing = EnvironmentModel.missingRequired(rows)
        if !missing.isEmpty { printError("missing required: \(missing.joined(separator: ", "))") }
        if running == nil { printError("no running container \(context.containerName): drift not checked") }
    }

    /// The image's ENV, or none when the image is not built or podman fails (reported).
    static func imageDefaults(_ context: ProbeCommandContext) async -> [String: String] {
        do {
            return try await context.base.client.inspectImage(context.settings.image)?.environmentDefaults ?? [:]
        } catch {
            printError("warning: image defaults unavailable: \(error.message)")
            return [:]
        }
    }
}

struct EnvReport: Encodable {
    var envFile: String
    var containerRunning: Bool
    var variables: [EnvRow]
}
