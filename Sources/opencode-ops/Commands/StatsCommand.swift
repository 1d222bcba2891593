import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops stats`: one sample of the pod's containers' resource use
/// (`podman stats --no-stream`), as the console's stats overlay shows it streaming.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show one sample of CPU, memory, network and block I/O for each running container of the pod."
    )

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let context = PodmanCommandContext.load()
        let pod = context.settings.pod
        let names = PodmanRole.allCases.map { $0.containerName(pod: pod) }
        let containers: [ContainerStats]
        do {
            containers = try await PodmanStats(client: context.client).sample(containers: names)
        } catch {
            throw fail(error)
        }
        if json {
            emit(try DiskReport.json(StatsReport(pod: pod, time: Date(), containers: containers)))
        } else {
            emit(StatsReport.text(pod: pod, containers: containers))
        }
    }
}

/// `stats` output; its fields are the JSON keys (snake case).
struct StatsReport: Encodable {
    var pod: String
    var time: Date
    var containers: [ContainerStats]

    static func text(pod: String, containers: [ContainerStats]) -> String {
        guard !containers.isEmpty else { return "no container of pod \(pod) is running" }
        let rows = [["NAME", "CPU", "MEMORY", "NET RX / TX", "BLOCK R / W", "PIDS"]] + containers.map { stats in
            [
                stats.name, String(format: "%.2f%%", stats.cpuPercent),
                "\(BackupFormat.bytes(Int(stats.memoryUsed))) / \(BackupFormat.bytes(Int(stats.memoryLimit)))",
                "\(BackupFormat.bytes(Int(stats.networkReceived))) / \(BackupFormat.bytes(Int(stats.networkSent)))",
                "\(BackupFormat.bytes(Int(stats.blockRead))) / \(BackupFormat.bytes(Int(stats.blockWritten)))",
                stats.pids.map(String.init) ?? "-",
            ]
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
