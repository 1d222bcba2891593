import Foundation

extension AppState {
    /// Applies a health action.
    mutating func reduce(_ action: HealthAction) -> [Effect] {
        switch action {
        case .started(let ids):
            health.order = ids + health.order.filter { !ids.contains($0) }
        case .result(let result):
            health.record(result)
        case .environment(let rows, let origin, let running):
            health.environmentOrigin = origin
            health.containerRunning = running
            environment = EnvironmentRows.make(rows: rows, origin: origin, settings: settings)
            let count = rowCount(of: .environment)
            positions[.environment]?.clamp(count: count)
        case .secretsWritten(let path, let generated):
            hasSecretsFile = true
            if overlay == .firstRun { overlay = nil }
            messages.append("wrote \(path) with generated \(generated.joined(separator: ", ")): add provider and B2 keys there, then press u")
        case .failed(let text):
            messages.append(text, level: .failure)
        }
        return []
    }

    /// Runs a health command chosen by key or palette.
    mutating func runHealth(_ command: Command) -> [Effect] {
        switch command {
        case .probeNow:
            let probes = health.order.filter { $0 != .b2Authorize }
            health.pending.formUnion(probes)
            messages.append(probes.isEmpty ? "running the probes now" : "running \(probes.count) probes now")
            return [.health(.runAll)]
        case .healthcheckNow:
            health.pending.insert(.podmanHealth)
            messages.append("running podman's healthcheck now")
            return [.health(.runHealthcheck)]
        case .authorizeB2:
            health.pending.insert(.b2Authorize)
            messages.append("checking the B2 credentials against B2")
            if !health.order.contains(.b2Authorize) { health.order.append(.b2Authorize) }
            return [.health(.run(.b2Authorize))]
        case .open:
            let selection = position(of: .health).selection
            guard health.order.indices.contains(selection) else { return [] }
            let id = health.order[selection]
            overlay = .page(TextPage(title: "\(id.title) (\(id.rawValue))", lines: HealthDetails.lines(for: id, in: health)))
            return []
        default:
            return []
        }
    }

    /// Carries out a health operation the operator confirmed.
    mutating func confirmHealth(_ operation: ConfirmedOperation) -> [Effect] {
        []
    }
}

/// The text of a probe's details page: latest result, history and status changes.
public enum HealthDetails {
    public static func lines(for id: ProbeID, in health: HealthState) -> [String] {
        let history = health.history(of: id)
        guard let latest = history.latest else {
            return ["status:      \(health.pending.contains(id) ? "running" : "no result yet")"]
        }
        // A result exists, so `now` does too; the fallback only keeps this pure.
        let now = health.now ?? latest.time
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

/// Short texts for times and latencies, shared by the panel and the details page.
public enum HealthFormat {
    public static func latency(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        return String(format: "%.1f s", seconds)
    }

    /// "just now", "12s ago", "3m ago", "2h ago", "4d ago".
    public static func ago(_ time: Date, now: Date) -> String {
        let seconds = Int(max(0, now.timeIntervalSince(time)))
        if seconds < 1 { return "just now" }
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        if seconds < 86_400 { return "\(seconds / 3600)h ago" }
        return "\(seconds / 86_400)d ago"
    }
}
