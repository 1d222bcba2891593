import Foundation
import OpsCore

/// The images and disk view's questions to podman, and the prune.
extension PodmanClient {
    /// The project's images (those of `reference`'s repository, and leftovers that once had its
    /// name), the pod's volumes with their sizes, and podman's storage totals.
    public func imageInventory(reference: String, pod: String) async throws(PodmanFailure) -> ImageInventory {
        let listed = try PodmanDiskDecoder.images(fromList: try await listImages().stdout)
        // Every container's image, in case podman's per-image count lags behind a fresh `run`.
        let inUse = Set(try await listContainers().map(\.imageID))
        // `system df` fails as a whole on one odd container ("layer not known"): the images
        // still list, and the view says why the totals are missing.
        var totals: [DiskUsageTotal] = []
        var totalsProblem: String?
        let df = try await run(["system", "df", "--format", "{{json .}}"])
        if df.succeeded {
            totals = try PodmanDiskDecoder.totals(fromLines: df.stdout)
        } else {
            totalsProblem = Self.failure(arguments: ["system", "df"], result: df).message
        }
        let verbose = try await run(["system", "df", "--verbose"])
        let sizes = verbose.succeeded ? PodmanDiskDecoder.volumeSizes(fromVerboseText: verbose.stdoutText) : [:]
        var volumes: [VolumeUsage] = []
        for name in PodmanVolumes.all(pod: pod) where try await volumeExists(name) {
            volumes.append(VolumeUsage(name: name, size: sizes[name]))
        }
        var inventory = ImageInventory(reference: reference, listed: listed, inUse: inUse, volumes: volumes, totals: totals, takenAt: Date())
        inventory.totalsProblem = totalsProblem
        return inventory
    }

    /// `podman images` fails as a whole ("image not known") when another process removes an
    /// image while it reads; the listing only reads, so it is taken again a few times first.
    private func listImages() async throws(PodmanFailure) -> ProcessResult {
        let arguments = ["images", "--format", "json"]
        for _ in 1..<4 {
            let result = try await run(arguments)
            if result.succeeded { return result }
            guard result.stderrText.contains("image not known") else { throw Self.failure(arguments: arguments, result: result) }
        }
        return try await checked(arguments)
    }

    /// Removes the given images, each only if a listing taken now still calls it prunable (a
    /// build may have retagged it since the operator was asked), and never with `--force`: podman
    /// itself refuses an image a container uses. Volumes are never touched.
    public func prune(ids: [String], reference: String, pod: String) async throws(PodmanFailure) -> PruneOutcome {
        let fresh = try await imageInventory(reference: reference, pod: pod)
        var removed: [ListedImage] = []
        var refused: [PruneOutcome.Refusal] = []
        for id in ids {
            guard let image = fresh.images.first(where: { $0.image.id == id }) else {
                refused.append(.init(id: id, reason: "gone already"))
                continue
            }
            if let kept = image.keptBecause {
                refused.append(.init(id: id, reason: "now \(kept)"))
                continue
            }
            let result = try await run(["rmi", "--", id])
            if result.succeeded {
                removed.append(image.image)
            } else {
                let reason = result.stderrText.split(separator: "\n").last.map(String.init) ?? "exit \(result.exitCode)"
                refused.append(.init(id: id, reason: reason.trimmingCharacters(in: .whitespaces)))
            }
        }
        return PruneOutcome(removed: removed, refused: refused)
    }
}
