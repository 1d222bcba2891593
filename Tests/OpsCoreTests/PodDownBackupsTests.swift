import Foundation
import Testing
@testable import OpsCore

/// With the pod down the Backups panel still lists the backups: the cached listing first
/// (marked with its age), then a one-off container's; restore says it needs the pod.
@Suite struct PodDownBackupsTests {
    typealias F = BackupFixtures

    static let saved = Date(timeIntervalSince1970: 1_795_897_535)

    func send(_ actions: [Action], to state: AppState) -> (AppState, [Effect]) {
        actions.reduce((state, [Effect]())) { result, action in
            let (next, effects) = update(result.0, action)
            return (next, result.1 + effects)
        }
    }

    func down() -> (AppState, [Effect]) {
        var state = AppState()
        state.focus = .backups
        return send([.backups(.podChanged(nil, reason: "pod opencode does not exist"))], to: state)
    }

    @Test func theFirstSnapshotWithoutAPodAsksForAOneOffListingOnce() {
        let (state, effects) = down()
        #expect(effects == [.backups(.listOffline)])
        #expect(state.backups.isListingOffline)
        // More snapshots without the pod ask for nothing more.
        #expect(send([.backups(.podChanged(nil, reason: "still down"))], to: state).1.isEmpty)
        // The pod coming up goes back to the container's own history.
        let (up, upEffects) = send([.backups(.podChanged(F.target, reason: ""))], to: state)
        #expect(upEffects == [.backups(.refresh(F.target))])
        #expect(up.backups.offlineSource == nil && !up.backups.isListingOffline)
        // And down again lists again.
        #expect(send([.backups(.podChanged(nil, reason: "gone"))], to: up).1 == [.backups(.listOffline)])
    }

    @Test func aCachedListingShowsUntilTheOneOffAnswersAndNeverReplacesIt() {
        var (state, _) = down()
        state = update(state, .backups(.offlineListed(F.listing, source: .cache(savedAt: Self.saved)))).0
        #expect(state.backups.offlineSource == .cache(savedAt: Self.saved))
        #expect(state.backups.rows.map(\.id) == F.listing.backups.map(\.id))
        #expect(state.backups.isListingOffline, "the one-off is still running")
        let fresh = BackupListing(remote: F.listing.remote, backups: Array(F.listing.backups.prefix(1)))
        let now = Self.saved.addingTimeInterval(600)
        state = update(state, .backups(.offlineListed(fresh, source: .oneOff(at: now)))).0
        #expect(state.backups.offlineSource == .oneOff(at: now) && !state.backups.isListingOffline)
        #expect(state.backups.rows.count == 1)
        state = update(state, .backups(.offlineListed(F.listing, source: .cache(savedAt: Self.saved)))).0
        #expect(state.backups.rows.count == 1, "an older cached copy does not replace the fresh listing")
    }

    @Test func aFailedOneOffKeepsTheCachedRowsAndSaysWhy() {
        var (state, _) = down()
        state = update(state, .backups(.offlineListed(F.listing, source: .cache(savedAt: Self.saved)))).0
        state = update(state, .backups(.offlineFailed("image x is not built"))).0
        #expect(state.backups.offlineProblem == "image x is not built" && !state.backups.isListingOffline)
        #expect(!state.backups.rows.isEmpty)
    }

    @Test func restoreFromThePodDownListingSaysItNeedsThePod() {
        var (state, _) = down()
        state = update(state, .backups(.offlineListed(F.listing, source: .oneOff(at: Self.saved)))).0
        let (refused, effects) = update(state, .key(.character("R")))
        #expect(effects.isEmpty && refused.overlay == nil)
        let message = refused.messages.last ?? ""
        #expect(message.contains("needs the pod up") && message.contains("press u, then R"), "\(message)")
        #expect(message.contains("backup \(state.selectedBackupRow?.shortID ?? "?")"))
        // Enter still shows what the row is.
        let (opened, _) = update(state, .key(.enter))
        guard case .page(let page)? = opened.overlay else {
            Issue.record("no details")
            return
        }
        // What the listing knows of the row, worded by OpsUI (DataPageTests).
        #expect(page.content == .backup(id: state.selectedBackupRow?.id ?? "?"))
    }
}
