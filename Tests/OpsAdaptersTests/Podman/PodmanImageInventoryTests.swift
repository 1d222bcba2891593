import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanTests {
    /// The images and disk view against real podman: images made the way rebuilds make them
    /// (a new build takes the name, the old one becomes `:previous`, the one before loses every
    /// name), and a prune that removes only the nameless leftover nothing uses.
    @Suite struct ImageInventory {
        typealias Support = PodmanTestSupport

        @Test func rebuildsLeaveOneLeftoverAndPruneRemovesOnlyIt() async throws {
            let repository = "localhost/\(Support.namePrefix)inventory-\(UUID().uuidString.prefix(6).lowercased())/opencode"
            let current = repository + ":latest"
            let previous = repository + ":previous"
            let pod = Support.namePrefix + "inventory"
            let context = FileManager.default.temporaryDirectory.appendingPathComponent("ooptest-inventory-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
            var made: [String] = []
            defer {
                let ids = made
                Task {
                    for id in ids { _ = try? await Support.podman(["rmi", "--force", "--", id]) }
                    _ = try? await Support.podman(["rm", "--force", "--", pod + "-user"])
                    try? FileManager.default.removeItem(atPath: context)
                }
            }
            /// Builds a distinct image and gives it the configured name, moving the old one to
            /// `:previous`, as a rebuild does.
            func rebuild(_ step: Int) async throws -> String {
                try "FROM \(Support.baseImage)\nLABEL \(Support.label)=\(Support.labelValue) step=\(step)-\(UUID().uuidString)\n"
                    .write(toFile: context + "/Containerfile", atomically: true, encoding: .utf8)
                let built = try await Support.podman(["build", "--quiet", "--", context])
                #expect(built.succeeded, "build failed: \(built.stderrText)")
                let id = built.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                made.append(id)
                if try await Support.podman(["image", "exists", "--", current]).succeeded {
                    try await Support.podman(["tag", "--", current, previous])
                }
                try await Support.podman(["tag", "--", id, current])
                return id
            }
            let oldest = try await rebuild(1)
            let middle = try await rebuild(2)
            let newest = try await rebuild(3)
            // One more leftover, still used by a (stopped) container: kept.
            let used = try await rebuild(4)
            _ = try await Support.podman(["create", "--name", pod + "-user", "--label", "\(Support.label)=\(Support.labelValue)", "--", used, "true"])
            try await Support.podman(["tag", "--", newest, current])
            try await Support.podman(["tag", "--", middle, previous])
            try await Support.podman(["tag", "--", repository + ":mine", middle])

            let inventory = try await Support.client.imageInventory(reference: current, pod: pod)
            let roles = Dictionary(uniqueKeysWithValues: inventory.images.map { ($0.image.id, $0.role) })
            #expect(roles[newest] == .current)
            #expect(roles[middle] == .previous, "a second name must not hide :previous")
            #expect(roles[oldest] == .dangling)
            #expect(roles[used] == .dangling)
            #expect(inventory.prunable.map(\.image.id) == [oldest], "\(inventory.images.map { ($0.role, $0.keptBecause) })")
            #expect(inventory.images.first { $0.image.id == used }?.keptBecause == "used by a container")
            #expect(inventory.prunableBytes > 0)
            #expect(inventory.totals.contains { $0.kind == "Images" && $0.total > 0 }, "\(inventory.totalsProblem ?? "")")

            // A prune asked for more than is safe removes only what a fresh listing allows.
            let outcome = try await Support.client.prune(ids: [oldest, used, newest], reference: current, pod: pod)
            #expect(outcome.removed.map(\.id) == [oldest])
            #expect(Set(outcome.refused.map(\.id)) == [used, newest])
            #expect(try await !Support.podman(["image", "exists", "--", oldest]).succeeded, "the leftover is still there")
            for kept in [middle, newest, used] {
                #expect(try await Support.podman(["image", "exists", "--", kept]).succeeded, "\(kept) was removed")
            }
        }

        @Test func volumeSizesComeFromTheVerboseTable() {
            let text = """
            Images space usage:

            REPOSITORY  TAG  IMAGE ID  CREATED  SIZE  SHARED SIZE  UNIQUE SIZE  CONTAINERS

            Local Volumes space usage:

            VOLUME NAME                 LINKS       SIZE
            pod-opencode-data           1           12.5MB
            pod-backup-state            0           0B
            """
            let sizes = PodmanDiskDecoder.volumeSizes(fromVerboseText: text)
            #expect(sizes == ["pod-opencode-data": 12_500_000, "pod-backup-state": 0])
        }
    }
}
