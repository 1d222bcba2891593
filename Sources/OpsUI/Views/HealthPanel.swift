import Foundation
import OpsCore

/// The Health panel: one line per probe with symbol and word, latency, time of the last change
/// and a sparkline of recent latencies.
enum HealthPanel {
    /// Column widths for a panel's inner width: narrow panels get short words and names.
    struct Columns: Equatable {
        var status: Int
        var name: Int
        var latency: Int
        var changed: Int
        var sparkline: Int
        var detail: Int
        var compact: Bool

        /// Narrow panels (the 2×2 layout at 80 columns) get short words, names and times;
        /// middle ones short words and full times; wide ones everything plus the detail.
        init(width: Int) {
            compact = width < 56
            let wide = width >= 90
            status = wide ? 16 : 10
            name = compact ? 9 : 15
            latency = compact ? 5 : 8
            changed = compact ? 3 : 9
            let fixed = status + name + latency + changed + 4
            let rest = max(0, width - fixed)
            sparkline = wide ? min(rest, 24) : rest
            detail = wide ? max(0, rest - sparkline - 1) : 0
        }
    }

    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        guard rect.width > 4, rect.height > 0 else { return }
        let health = state.health
        var body = rect
        if health.containerRunning == false {
            let text = "\(glyphs.unknown) no pod running: \(state.settings.pod) is down, probes report what they reach"
            grid.put(Text.fit(Text.displayable(text, glyphs: glyphs), width: rect.width - 2, glyphs: glyphs),
                     x: rect.x + 1, y: rect.y, role: .muted)
            body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        }
        if health.order.isEmpty {
            let headline = health.containerRunning == false ? "" : "\(glyphs.pending) probes starting"
            if !headline.isEmpty {
                EmptyState.draw(into: &grid, body, headline: headline,
                                detail: "Results appear as each probe reports.", glyphs: glyphs)
            }
            return
        }
        guard body.height > 0 else { return }
        let columns = Columns(width: body.width - 2)
        let selection = state.position(of: .health).selection
        let focused = state.focus == .health
        let offset = max(0, min(selection - body.height + 1, health.order.count - body.height))
        for (row, id) in health.order.enumerated().dropFirst(offset).prefix(body.height) {
            let y = body.y + row - offset
            drawRow(id, health: health, into: &grid, x: body.x + 1, y: y, columns: columns, glyphs: glyphs)
            if focused && row == selection {
                grid.restyle(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection)
            }
        }
    }

    static func drawRow(
        _ id: ProbeID, health: HealthState, into grid: inout Grid, x: Int, y: Int, columns: Columns, glyphs: Glyphs
    ) {
        let history = health.history(of: id)
        let latest = history.latest
        let status = latest?.status ?? .unknown
        var column = x
        let label = "\(symbol(for: status, glyphs: glyphs)) \(word(for: status, compact: columns.status < 16))"
        grid.put(Text.pad(label, width: columns.status, glyphs: glyphs), x: column, y: y, role: role(for: status))
        column += columns.status + 1
        let name = columns.compact ? shortTitle(id) : id.title
        grid.put(Text.pad(name, width: columns.name, glyphs: glyphs), x: column, y: y, role: .text)
        column += columns.name + 1
        let latency: String
        if health.pending.contains(id) {
            latency = "run" + glyphs.ellipsis
        } else if let latest {
            latency = compactLatency(latest.latency, compact: columns.compact)
        } else {
            latency = "-"
        }
        grid.put(Text.pad(latency, width: columns.latency, glyphs: glyphs), x: column, y: y,
                 role: health.pending.contains(id) ? .pending : .muted)
        column += columns.latency + 1
        let changed = history.lastChange.map { change -> String in
            let ago = HealthFormat.ago(change, now: health.now ?? change)
            return columns.compact ? ago.replacingOccurrences(of: " ago", with: "").replacingOccurrences(of: "just now", with: "now") : ago
        } ?? "-"
        grid.put(Text.pad(changed, width: columns.changed, glyphs: glyphs), x: column, y: y, role: .muted)
        column += columns.changed + 1
        if columns.sparkline > 0 {
            grid.put(Sparkline.render(history.latencies, width: columns.sparkline, glyphs: glyphs), x: column, y: y, role: role(for: status))
            column += columns.sparkline + 1
        }
        if columns.detail > 0, let latest {
            let words = latest.error ?? latest.detail
            grid.put(Text.fit(Text.displayable(words, glyphs: glyphs), width: columns.detail, glyphs: glyphs),
                     x: column, y: y, role: .muted)
        }
    }

    static func symbol(for status: ProbeStatus, glyphs: Glyphs) -> String {
        switch status {
        case .ok: return glyphs.ok
        case .degraded: return glyphs.warn
        case .failing: return glyphs.fail
        case .unknown: return glyphs.unknown
        case .notConfigured: return glyphs.pending
        }
    }

    static func word(for status: ProbeStatus, compact: Bool) -> String {
        status == .notConfigured && compact ? "no conf" : status.rawValue
    }

    static func role(for status: ProbeStatus) -> StyleRole {
        switch status {
        case .ok: return .ok
        case .degraded: return .warn
        case .failing: return .fail
        case .unknown, .notConfigured: return .muted
        }
    }

    static func shortTitle(_ id: ProbeID) -> String {
        switch id {
        case .opencode: return "OpenCode"
        case .podmanHealth: return "Podman HC"
        case .datadog: return "Datadog"
        case .b2: return "B2 keys"
        case .b2Authorize: return "B2 auth"
        case .graphiti: return "Graphiti"
        case .backupFreshness: return "Backups"
        default: return id.title
        }
    }

    static func compactLatency(_ seconds: Double?, compact: Bool) -> String {
        let text = HealthFormat.latency(seconds)
        return compact ? text.replacingOccurrences(of: " ", with: "") : text
    }
}
