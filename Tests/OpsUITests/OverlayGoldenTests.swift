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

@Suite struct StatsOverlayGoldenTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Two minutes of samples: OpenCode busy and growing, the sidecars quiet.
    static func sampled(_ state: AppState) -> AppState {
        var state = state
        for index in 0..<24 {
            let time = start + Double(index * 5)
            let wave = Double((index * 7) % 11)
            let sample = StatsSample(time: time, containers: [
                ContainerStats(
                    name: "opencode-opencode", cpuPercent: 2 + wave * 3, memoryUsed: 180_000_000 + Int64(index) * 1_000_000, memoryLimit: 4_000_000_000,
                    networkReceived: Int64(index) * 12_000, networkSent: Int64(index) * 30_000, blockRead: 2_000_000, blockWritten: Int64(index) * 4096, pids: 23
                ),
                ContainerStats(name: "opencode-falkordb", cpuPercent: 0.3, memoryUsed: 9_839_000, memoryLimit: 25_280_000_000, pids: 6),
                ContainerStats(name: "opencode-valkey", cpuPercent: 0.1 * wave, memoryUsed: 4_100_000, memoryLimit: 25_280_000_000, networkReceived: 472, networkSent: 1096, pids: 5),
            ])
            state = update(state, .stats(.sampled(generation: state.stats.generation, sample))).0
        }
        return state
    }

    @Test(arguments: [(80, 24, GlyphMode.unicode), (40, 12, .unicode), (80, 24, .ascii)])
    func statsOverlay(width: Int, height: Int, glyphs: GlyphMode) {
        var state = Fixtures.state(width: width, height: height, glyphs: glyphs)
        state = update(state, .key(.character("s"))).0
        #expect(MainView.render(state).text.contains("starting podman stats"))
        state = Self.sampled(state)
        let grid = MainView.render(state)
        GoldenFile.check(grid, named: "stats-\(width)x\(height)-\(glyphs == .ascii ? "ascii" : "utf8")")
        if width >= 80 {
            #expect(grid.text.contains("opencode-opencode  23 pids"))
            #expect(grid.text.contains("MEMORY  193.6 MB / 3.7 GB (5.1%)"))
        }
    }

    @Test func aFailedStreamSaysWhy() {
        var state = Fixtures.state(width: 80, height: 24, glyphs: .unicode)
        state = update(state, .key(.character("s"))).0
        state = update(state, .stats(.ended(generation: 1, reason: "podman stats exited (125): no such container"))).0
        #expect(MainView.render(state).text.contains("podman stats exited (125): no such container"))
    }
}
