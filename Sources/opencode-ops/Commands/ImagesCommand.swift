import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops images`: the project's images (current, :previous, older builds, dangling
/// leftovers) with size and age, the pod's volumes, and podman's storage totals.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List the project's images, the pod's volumes and podman's disk use; marks what prune would remove."
    )

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let context = PodmanCommandContext.load()
        let inventory: ImageInventory
        do {
            inventory = try await context.client.imageInventory(reference: context.settings.image, pod: context.settings.pod)
        } catch {
            throw fail(error)
        }
        if json {
            emit(try DiskReport.json(inventory))
        } else {
            emit(DiskReport.text(inventory))
        }
    }
}

/// The text and JSON of `images` and `prune`.
enum DiskReport {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func text(_ inventory: ImageInventory) -> String {
        var lines = ["images of \(inventory.reference):"]
        if inventory.images.isEmpty { lines.append("  none") }
        for image in inventory.images {
            let created = image.image.createdAt.map { BackupFormat.shortTime($0) } ?? "-"
            let prune = image.keptBecause.map { "kept: \($0)" } ?? "prunable"
            lines.append("  \(image.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(PodmanImageReference.short(image.image.id))  \(created)  \(BackupFormat.bytes(image.image.size).padding(toLength: 9, withPad: " ", startingAt: 0))  \(prune)")
        }
        let prunable = inventory.prunable
        lines.append(prunable.isEmpty ? "nothing to prune" : "prune would remove \(prunable.count), freeing up to \(BackupFormat.bytes(inventory.prunableBytes))")
        lines.append("volumes (never pruned):")
        if inventory.volumes.isEmpty { lines.append("  none") }
        for volume in inventory.volumes {
            lines.append("  \(volume.name)  \(volume.size.map(BackupFormat.bytes) ?? "size unknown")")
        }
        lines.append("podman storage:")
        if let problem = inventory.totalsProblem { lines.append("  unknown: \(problem)") }
        for total in inventory.totals {
            lines.append("  \(total.kind): \(total.total) (\(total.active) in use), \(BackupFormat.bytes(total.size)), reclaimable \(BackupFormat.bytes(total.reclaimable))")
        }
        return lines.joined(separator: "\n")
    }
}
