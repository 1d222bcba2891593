import Foundation
import Testing
@testable import OpsCore

@Suite struct ImagesUpdateTests {
    static let reference = "localhost/team/opencode:latest"
    static let time = Date(timeIntervalSince1970: 1_800_000_000)

    func settings(readonly: Bool = false) -> Settings {
        var settings = Settings()
        settings.pod = "team"
        settings.image = Self.reference
        settings.readonly = readonly
        return settings
    }

    static func inventory(containersOnLeftover: Int = 0) -> ImageInventory {
        let listed = [
            ListedImage(id: "current-id", tags: [reference], size: 500, createdAt: time),
            ListedImage(id: "previous-id", tags: ["localhost/team/opencode:previous"], size: 400, createdAt: time - 60),
            ListedImage(id: "mine-id", tags: ["localhost/team/opencode:v1"], size: 300, createdAt: time - 120),
            ListedImage(id: "leftover-id", size: 200, createdAt: time - 180, containers: containersOnLeftover, dangling: true,
                        formerNames: ["localhost/team/opencode:previous", "localhost/team/opencode:latest"]),
            ListedImage(id: "stranger-id", size: 100, dangling: true, formerNames: ["localhost/other/app:latest"]),
            ListedImage(id: "base-id", tags: ["docker.io/library/debian:bookworm"], size: 90),
        ]
        return ImageInventory(reference: reference, listed: listed, takenAt: time)
    }

    @Test func onlyLeftoversOfOurImageThatNothingUsesArePrunable() {
        let inventory = Self.inventory()
        #expect(inventory.images.map(\.role) == [.current, .previous, .older, .dangling])
        #expect(inventory.prunable.map(\.image.id) == ["leftover-id"])
        #expect(inventory.prunableBytes == 200)
        #expect(Self.inventory(containersOnLeftover: 1).prunable.isEmpty)
        // A short name means localhost/...:latest, as podman stores it.
        let short = ImageInventory(reference: "team/opencode", listed: [ListedImage(id: "a", tags: [Self.reference])], takenAt: Self.time)
        #expect(short.images.first?.role == .current)
        let inUse = ImageInventory(reference: Self.reference, listed: [Self.inventory().images[3].image], inUse: ["leftover-id"], takenAt: Self.time)
        #expect(inUse.prunable.isEmpty)
    }

    @Test func iOpensTheOverlayAndListsAfresh() {
        let (next, effects) = update(AppState(settings: settings()), .key(.character("I")))
        #expect(next.overlay == .images(scroll: 0))
        #expect(effects == [.images(.list(reference: Self.reference, pod: "team"))])
        let (listed, _) = update(next, .images(.listed(.success(Self.inventory()))))
        #expect(listed.images == .loaded(Self.inventory()))
        #expect(listed.overlay == .images(scroll: 0), "a listing asked for by I asks nothing")
    }

    @Test func pListsFirstThenAsksWithTheBytesAndPrunesOnlyWhatItNamed() {
        var state = AppState(settings: settings())
        var effects: [Effect]
        (state, effects) = update(state, .key(.character("P")))
        #expect(effects == [.images(.list(reference: Self.reference, pod: "team"))])
        (state, _) = update(state, .images(.listed(.success(Self.inventory()))))
        guard case .confirm(let confirmation)? = state.overlay else {
            Issue.record("no confirmation: \(String(describing: state.overlay))")
            return
        }
        // The dialog holds the inventory; OpsUI words it (DataPageTests).
        #expect(confirmation.detail == .prune(Self.inventory()))
        (state, effects) = update(state, .key(.character("y")))
        #expect(effects == [.images(.prune(ids: ["leftover-id"], reference: Self.reference, pod: "team"))])
        let outcome = PruneOutcome(removed: [Self.inventory().images[3].image], refused: [])
        (state, effects) = update(state, .images(.pruned(.success(outcome))))
        #expect(state.messages.last?.contains("removed 1 image") == true)
        #expect(effects == [.images(.list(reference: Self.reference, pod: "team"))], "the overlay lists again after a prune")
    }

    @Test func nothingToPruneIsSaidNotAsked() {
        var state = AppState(settings: settings())
        state = update(state, .key(.character("P"))).0
        state = update(state, .images(.listed(.success(Self.inventory(containersOnLeftover: 1))))).0
        #expect(state.overlay == nil)
        #expect(state.messages.last?.contains("nothing to prune") == true)
    }

    @Test func readonlyAndARunningBuildRefusePrune() {
        let (readonly, effects) = update(AppState(settings: settings(readonly: true)), .key(.character("P")))
        #expect(effects.isEmpty)
        #expect(readonly.messages.last?.contains("read-only") == true)
        var building = AppState(settings: settings())
        building.build.run = BuildRun(kind: .rebuild)
        let (refused, none) = update(building, .key(.character("P")))
        #expect(none.isEmpty)
        #expect(refused.messages.last?.contains("prune once it has ended") == true)
    }

    @Test func pWorksFromTheOpenOverlayAndJKScrollIt() {
        var state = AppState(settings: settings())
        state = update(state, .key(.character("I"))).0
        state = update(state, .key(.character("j"))).0
        #expect(state.overlay == .images(scroll: 1))
        let (next, effects) = update(state, .key(.character("P")))
        #expect(effects == [.images(.list(reference: Self.reference, pod: "team"))])
        #expect(next.images == .loading(previous: nil, thenConfirmPrune: true))
    }
}
