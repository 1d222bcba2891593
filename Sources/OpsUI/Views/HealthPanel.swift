import Foundation
import OpsCore

/// The Health panel: a table of probes under column headers: status in symbol and word, probe,
/// latency, when it last ran and when its status last changed, recent latencies, and the reason
/// (error or detail) when there is room. With the pod down, probes that need it wait.
enum HealthPanel {
    /// How much the table shortens its words to fit: full words first, then short probe names
    /// (the status words say more), then short status words, then short times too.
    enum Form: CaseIterable {
        case full, shortNames, shortStatus, compact
    }

    /// One probe's cells before sizing.
    struct Row {
        var status: String
        var role: StyleRole
        var name: String
        var latency: String
        var latencyRole: StyleRole
        var lastRun: String
        var changed: String
        var latencies: [Double]
        var reason: String
        var reasonRole: StyleRole
    }

    static func headers(_ form: Form) -> [String] {
        form == .compact
            ? ["STATUS", "PROBE", "LAT", "RAN", "CHG", "RECENT", "REASON"]
            : ["STATUS", "PROBE", "LATENCY", "LAST RUN", "CHANGED", "RECENT", "REASON"]
    }

    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        guard rect.width > 4, rect.height > 0 else { return }
        let health = state.health
        var body = rect
        if state.probesWaitForPod {
            let text = "\(glyphs.unknown) pod \(state.settings.pod) not up: probes wait"
            grid.put(Text.fit(Text.displayable(text, glyphs: glyphs), width: rect.width - 2, glyphs: glyphs),
                     x: rect.x + 1, y: rect.y, role: .muted)
            body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        }
        if health.order.isEmpty {
            if !state.probesWaitForPod {
                EmptyState.draw(into: &grid, body, headline: "\(glyphs.pending) probes starting",
                                detail: "Results appear as each probe reports.", glyphs: glyphs)
            }
            return
        }
        guard body.height > 1 else { return }
        let width = body.width - 2
        let (form, widths) = layout(state: state, width: width, glyphs: glyphs)
        let rows = health.order.map { row($0, state: state, form: form, glyphs: glyphs) }
        ColumnLayout.drawRow(headers(form).map { ($0, StyleRole.title) }, widths: widths, into: &grid, x: body.x + 1, y: body.y, glyphs: glyphs)
        let table = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        let selection = state.position(of: .health).selection
        let focused = state.focus == .health
        let offset = max(0, min(selection - table.height + 1, rows.count - table.height))
        for (index, row) in rows.enumerated().dropFirst(offset).prefix(table.height) {
            let y = table.y + index - offset
            let sparkline = Sparkline.render(row.latencies, width: widths[5], glyphs: glyphs)
            let cells: [(text: String, role: StyleRole)] = [
                (row.status, row.role), (row.name, .text), (row.latency, row.latencyRole),
                (row.lastRun, .muted), (row.changed, .muted), (sparkline, row.role), (row.reason, row.reasonRole),
            ]
            ColumnLayout.drawRow(cells, widths: widths, into: &grid, x: table.x + 1, y: y, glyphs: glyphs)
            if focused && index == selection {
                grid.restyle(Rect(x: table.x, y: y, width: table.width, height: 1), role: .selection)
            }
        }
    }

    /// The first form whose fixed columns fit `width`, and the column widths: the reason is
    /// shown before the sparkline when only one fits, and takes any room left.
    static func layout(state: AppState, width: Int, glyphs: Glyphs) -> (Form, [Int]) {
        var chosen: (Form, [Int])?
        for form in Form.allCases {
            let rows = state.health.order.map { row($0, state: state, form: form, glyphs: glyphs) }
            let headers = headers(form)
            let fixed = [
                TableColumn(header: headers[0], values: rows.map(\.status)),
                TableColumn(header: headers[1], values: rows.map(\.name)),
                TableColumn(header: headers[2], values: rows.map(\.latency)),
                TableColumn(header: headers[3], values: rows.map(\.lastRun)),
                TableColumn(header: headers[4], values: rows.map(\.changed)),
            ]
            let history = rows.map(\.latencies.count).max() ?? 0
            let columns = fixed.map { TableColumn(natural: $0.natural, minimum: $0.natural) } + [
                TableColumn(natural: history == 0 ? 0 : max(headers[5].count, min(24, history)), minimum: headers[5].count, priority: 0),
                TableColumn(header: headers[6], values: rows.map(\.reason), minimum: 12, fills: true, priority: 1),
            ]
            chosen = (form, ColumnLayout.widths(columns, width: width))
            let needed = fixed.map(\.natural).reduce(0, +) + fixed.count - 1
            if needed <= width { break }
        }
        return chosen!
    }

    static func row(_ id: ProbeID, state: AppState, form: Form, glyphs: Glyphs) -> Row {
        let health = state.health
        let history = health.history(of: id)
        let latest = history.latest
        let status = latest?.status ?? .unknown
        let compact = form == .compact
        let shortStatus = form == .shortStatus || compact
        let now = state.healthNow
        func ago(_ time: Date?) -> String {
            guard let time else { return "-" }
            let text = HealthFormat.ago(time, now: now ?? time)
            return compact ? text.replacingOccurrences(of: " ago", with: "").replacingOccurrences(of: "just now", with: "now") : text
        }
        var row = Row(
            status: "\(symbol(for: status, glyphs: glyphs)) \(word(for: status, short: shortStatus))",
            role: role(for: status),
            name: form == .full || form == .shortStatus ? id.title : shortTitle(id),
            latency: latest.map { compactLatency($0.latency, compact: compact) } ?? "-",
            latencyRole: .muted,
            lastRun: ago(latest?.time), changed: ago(history.lastChange),
            latencies: history.latencies,
            reason: latest.map { $0.error ?? $0.detail } ?? "",
            reasonRole: status == .failing || status == .degraded ? role(for: status) : .muted
        )
        if health.pending.contains(id) {
            row.latency = "run" + glyphs.ellipsis
            row.latencyRole = .pending
        }
        // A probe of the pod's services has nothing to reach while the pod is down: it waits,
        // in a neutral style, whatever its last run said.
        if id.needsPod, state.probesWaitForPod {
            row.status = "\(glyphs.pending) \(shortStatus ? "waiting" : "waiting for pod")"
            row.role = .muted
            row.reason = "pod \(state.settings.pod) is not up"
            row.reasonRole = .muted
        }
        return row
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

    static func word(for status: ProbeStatus, short: Bool) -> String {
        status == .notConfigured && short ? "no conf" : status.rawValue
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
