import Foundation
import OpsCore

/// A probe's details page: latest result, history and status changes.
enum ProbePage {
    /// `now` is the console's clock (`AppState.healthNow`); without one, times count from the
    /// probe's latest result.
    static func lines(for id: ProbeID, in health: HealthState, now: Date?) -> [String] {
        let history = health.history(of: id)
        guard let latest = history.latest else {
            return ["status:      \(health.pending.contains(id) ? "running" : "no result yet")"]
        }
        // The fallbacks only keep this pure: with a result, the console has a clock.
        let now = now ?? health.now ?? latest.time
        var lines = ["status:      \(latest.status.rawValue)"]
        if !latest.detail.isEmpty { lines.append("detail:      \(latest.detail)") }
        if let error = latest.error { lines.append("error:       \(error)") }
        lines.append("latency:     \(HealthFormat.latency(latest.latency))")
        lines.append("last run:    \(HealthFormat.ago(latest.time, now: now))")
        if let change = history.lastChange { lines.append("last change: \(HealthFormat.ago(change, now: now))") }
        lines.append("")
        lines.append("HISTORY (newest first, \(history.results.count) of \(history.capacity) kept)")
        for result in history.results.reversed() {
            var text = "\(HealthFormat.ago(result.time, now: now).padding(toLength: 9, withPad: " ", startingAt: 0)) "
                + "\(result.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                + "\(HealthFormat.latency(result.latency).padding(toLength: 8, withPad: " ", startingAt: 0))"
            let words = [result.detail, result.error ?? ""].filter { !$0.isEmpty }.joined(separator: " - ")
            if !words.isEmpty { text += " \(words)" }
            lines.append(text)
        }
        let events = health.events.filter { $0.probe == id }
        lines.append("")
        lines.append("STATUS CHANGES (newest first)")
        for event in events.reversed() {
            let from = event.from?.rawValue ?? "start"
            var text = "\(HealthFormat.ago(event.time, now: now).padding(toLength: 9, withPad: " ", startingAt: 0)) \(from) -> \(event.to.rawValue)"
            if !event.reason.isEmpty { text += ": \(event.reason)" }
            lines.append(text)
        }
        return lines
    }
}
