import Foundation
import Testing
@testable import OpsCore
@testable import OpsUI

@Suite struct ImagesOverlayGoldenTests {
    static let reference = "localhost/team/opencode:latest"
    static let time = Date(timeIntervalSince1970: 1_795_684_000)

    static var inventory: ImageInventory {
        var inventory = ImageInventory(
            reference: reference,
            listed: [
                ListedImage(id: "1c22ebeef714aa", tags: [reference], size: 504_000_000, createdAt: time),
                ListedImage(id: "46dc241f988daa", tags: ["localhost/team/opencode:previous"], size: 498_000_000, createdAt: time - 3600),
                ListedImage(id: "5bbd8e7b27b0aa", size: 497_000_000, createdAt: time - 7200, dangling: true, formerNames: ["localhost/team/opencode:previous"]),
                ListedImage(id: "99b534f78e66aa", size: 496_000_000, createdAt: time - 9000, containers: 1, dangling: true, formerNames: [reference]),
            ],
            volumes: [VolumeUsage(name: "team-opencode-data", size: 12_500_000), VolumeUsage(name: "team-backup-state", size: nil)],
            totals: [DiskUsageTotal(kind: "Images", total: 12, active: 3, size: 4_000_000_000, reclaimable: 1_000_000_000)],
            takenAt: time
        )
        inventory.totalsProblem = nil
        return inventory
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func imagesOverlay(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height, glyphs: .unicode)
        state = update(state, .key(.character("I"))).0
        let loading = MainView.render(state).text
        #expect(loading.contains("listing images and volumes"))
        state = update(state, .images(.listed(.success(Self.inventory)))).0
        let grid = MainView.render(state)
        let text = grid.text
        GoldenFile.check(grid, named: "images-\(width)x\(height)-utf8")
        if width >= 80 {
            #expect(text.contains("goes with P") && text.contains("used by a container") && text.contains("kept: for rollback"))
            #expect(text.contains("P prunes 1 (up to 474.0 MB"))
        }
    }

    @Test func readonlySaysPIsRefused() {
        var state = Fixtures.state(width: 100, height: 30, glyphs: .unicode)
        state.settings.readonly = true
        state = update(state, .key(.character("I"))).0
        state = update(state, .images(.listed(.success(Self.inventory)))).0
        #expect(MainView.render(state).text.contains("read-only: P is refused"))
    }
}

@Suite struct PageSearchGoldenTests {
    @Test func matchesAreHighlightedAndTheSearchLineCounts() throws {
        var state = Fixtures.state(width: 60, height: 14, glyphs: .unicode)
        let lines = (1...20).map { $0 % 7 == 0 ? "line \($0): ERROR backup failed, error 5" : "line \($0): ok" }
        state.overlay = .page(TextPage(title: "opencode log", lines: lines))
        for key: Key in [.character("/")] + "error".map({ .character($0) }) + [.enter, .character("n")] {
            state = update(state, .key(key)).0
        }
        let grid = MainView.render(state)
        GoldenFile.check(grid, named: "page-search-60x14-utf8")
        #expect(grid.text.contains("match 2 of 2"))
        // Both matches on the line shown first are in the match style, and only they.
        let row = grid.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("line 14:") }
        let y = try #require(row)
        let text = Array(grid.text.split(separator: "\n", omittingEmptySubsequences: false)[y])
        let matched = (0..<grid.width).filter { grid[$0, y].role == .match }.map { String(text[$0]) }.joined()
        #expect(matched == "ERRORerror")
    }
}
