import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops ps`: the pod and its containers, from the same snapshot the console starts with.
struct PsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "Show the pod and its containers: state, health, uptime, image."
    )

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let context = PodmanCommandContext.load()
        let snapshot: PodSnapshot
        do {
            snapshot = try await context.client.snapshot(pod: context.settings.pod)
        } catch {
            throw fail(error)
        }
        let report = PsReport(snapshot)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            emit(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            emit(report.text)
        }
    }
}

/// `ps` output; its fields are the JSON keys.
struct PsReport: Codable {
    struct Container: Codable {
        var name: String
        var role: String?
        var state: String
        var health: String
        var startedAt: Date?
        var uptimeSeconds: Int?
        var image: String
        var imageID: String
        var exitCode: Int?
    }

    var pod: String
    var exists: Bool
    var state: String?
    var managed: Bool?
    var containers: [Container]

    init(_ snapshot: PodSnapshot) {
        pod = snapshot.podName
        exists = snapshot.pod != nil
        state = snapshot.pod?.state.text
        managed = snapshot.pod?.isManaged
        containers = (snapshot.pod?.workloadContainers ?? []).map { container in
            Container(
                name: container.name, role: container.role?.rawValue, state: container.state.text,
                health: container.health.status.rawValue, startedAt: container.startedAt,
                uptimeSeconds: container.uptime(now: snapshot.takenAt).map { Int($0) },
                image: container.image, imageID: String(container.imageID.prefix(12)), exitCode: container.exitCode
            )
        }
    }

    var text: String {
        guard exists, let state else { return "pod \(pod): not created (run `opencode-ops up`)" }
        var lines = ["pod \(pod): \(state)" + (managed == false ? " (not made by opencode-ops)" : "")]
        let header = ["NAME", "STATE", "HEALTH", "UPTIME", "IMAGE"]
        let rows = containers.map { container in
            [
                container.name, container.state + (container.exitCode.map { " (\($0))" } ?? ""), container.health,
                container.uptimeSeconds.map { formatDuration(TimeInterval($0)) } ?? "-", container.image,
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}
