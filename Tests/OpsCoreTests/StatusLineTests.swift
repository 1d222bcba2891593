import Foundation
import Testing
@testable import OpsCore

/// Every action's result or refusal reaches the footer for a few seconds, with the time the
/// console's clock gave it; the messages list keeps it with that time and level.
@Suite struct StatusLineTests {
    let start = Date(timeIntervalSince1970: 1_795_684_000)   // 2026-11-26T09:06:40Z

    func readonly() -> AppState {
        var state = AppState(themeNames: ["default", "dark256"])
        state.settings.readonly = true
        return update(state, .tick(start)).0
    }

    @Test func aRefusalShowsWithItsTimeUntilATickPassesItsExpiry() {
        let (refused, effects) = update(readonly(), .key(.character("B")))
        let expiry = start.addingTimeInterval(AppState.statusSeconds)
        #expect(effects == [.wake(at: expiry)])
        #expect(refused.statusMessage == Message("read-only: run a backup now refused", level: .warning, time: start))
        let early = update(refused, .tick(expiry.addingTimeInterval(-0.5))).0
        #expect(early.statusMessage != nil)
        let late = update(early, .tick(expiry)).0
        #expect(late.statusMessage == nil)
        #expect(late.messages.entries.last?.time == start, "the list keeps the message and its time")
    }

    @Test func eachReadOnlyRefusalAndProbeKeyAnswers() {
        var state = readonly()
        let answers = [("B", "run a backup now refused"), ("D", "take the pod down"), ("K", "export kubernetes manifests refused"),
                       ("r", "running"), ("R", "restore the selected backup refused")]
        for (index, (key, expected)) in answers.enumerated() {
            state = update(state, .tick(start.addingTimeInterval(Double(index + 1) * 10))).0
            #expect(state.statusMessage == nil)
            state = update(state, .key(.character(Character(key)))).0
            #expect(state.statusMessage?.text.contains(expected) == true, "\(key): \(state.statusMessage?.text ?? "nothing")")
        }
        let refusals = state.messages.entries.filter { $0.text.hasPrefix("read-only") }
        #expect(refusals.count == 4 && refusals.allSatisfy { $0.level == .warning })
    }

    @Test func aNewerMessageKeepsTheFooterLonger() {
        var state = update(readonly(), .key(.character("B"))).0
        state = update(state, .tick(start.addingTimeInterval(3))).0
        let (next, effects) = update(state, .message("kube: wrote stack.yaml", level: .success))
        #expect(effects == [.wake(at: start.addingTimeInterval(3 + AppState.statusSeconds))])
        #expect(update(next, .tick(start.addingTimeInterval(AppState.statusSeconds))).0.statusMessage?.level == .success)
    }

    @Test func unreadCountResetsOnceReadAndOnlyWarningsNeedAttention() {
        var state = update(readonly(), .message("backup 1a2b verified", level: .success)).0
        #expect(state.messages.unread.count == 1 && !state.messages.unreadNeedsAttention)
        state = update(state, .key(.character("B"))).0
        #expect(state.messages.unread.count == 2 && state.messages.unreadNeedsAttention)
        state = update(state, .key(.character("m"))).0
        #expect(state.messages.unread.isEmpty)
        // A message arriving while the list is open is read too.
        state = update(state, .message("job done", level: .success)).0
        #expect(state.messages.unread.isEmpty)
        state = update(state, .key(.escape)).0
        state = update(state, .message("job failed", level: .failure)).0
        #expect(state.messages.unread.map(\.text) == ["job failed"] && state.messages.unreadNeedsAttention)
    }

    @Test func theListKeepsTheNewest500() {
        var log = MessageLog()
        for index in 1...400 { log.append("m\(index)") }
        log.markRead()
        for index in 401...510 { log.append("m\(index)") }
        #expect(log.count == MessageLog.capacity)
        #expect(log.first == "m11" && log.last == "m510")
        #expect(log.unread.count == 110, "trimming the oldest keeps the unread count")
    }

    @Test func theConsoleKeepsTheNewest500Messages() {
        var state = update(AppState(), .tick(start)).0
        for index in 1...520 { state = update(state, .message("m\(index)")).0 }
        #expect(state.messages.count == 500)
        #expect(state.messages.first == "m21" && state.messages.last == "m520")
        #expect(state.messages.entries.allSatisfy { $0.time == start })
    }

    @Test func theThemeKeyNamesTheThemeItSwitchedTo() {
        let (state, effects) = update(readonly(), .key(.character("t")))
        #expect(effects == [.loadTheme(name: "dark256")])
        let loaded = update(state, .themeLoaded(Theme(name: "dark256", styles: [:]), problems: [])).0
        #expect(loaded.statusMessage == Message("theme dark256", level: .success, time: start))
    }

    @Test func messagesBeforeTheFirstTickGetItsTime() {
        var state = update(AppState(), .message("config: bad key")).0
        #expect(state.messages.entries.last?.time == nil && state.statusMessage == nil)
        state = update(state, .tick(start)).0
        #expect(state.messages.entries.last?.time == start)
    }
}
