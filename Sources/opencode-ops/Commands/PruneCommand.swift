import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops prune`: removes the project's images that nothing needs (older builds and
/// dangling leftovers); never the configured image, `:previous`, an image a container uses, or a
/// volume. Without `--yes` it only says what would go.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove old images of this project (prints what would go; --yes to remove)."
    )

    @Flag(name: .long, help: "Remove the images; without it, nothing changes.")
    var yes = false

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        let context = PodmanCommandContext.load()
        let reference = context.settings.image
        let pod = context.settings.pod
        let inventory: ImageInventory
        do {
            inventory = try await context.client.imageInventory(reference: reference, pod: pod)
        } catch {
            throw fail(error)
        }
        let ids = inventory.prunable.map(\.image.id)
        guard yes else {
            if json {
                emit(try DiskReport.json(Plan(wouldRemove: inventory.prunable.map(\.image), freesUpTo: inventory.prunableBytes)))
            } else {
                emit(DiskReport.text(inventory))
                if !ids.isEmpty { printError("nothing changed: run again with --yes to remove them") }
            }
            return
        }
        try readonly.requireWritable("prune", context: context, target: reference)
        let outcome: PruneOutcome
        do {
            outcome = try await context.client.prune(ids: ids, reference: reference, pod: pod)
        } catch {
            CommandAudit.record("prune", target: reference, result: "failed: \(error.message)")
            throw fail(error)
        }
        CommandAudit.record("prune", target: reference, result: outcome.summary)
        if json {
            emit(try DiskReport.json(outcome))
        } else {
            emit(ids.isEmpty ? "nothing to prune" : outcome.summary)
        }
        if !outcome.refused.isEmpty { throw ExitCode.failure }
    }

    /// `prune --json` without `--yes`.
    struct Plan: Encodable {
        var wouldRemove: [ListedImage]
        var freesUpTo: Int
    }
}
