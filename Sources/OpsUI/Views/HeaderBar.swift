import OpsCore

/// The top line: the pod and its containers, their states and uptime, and the events stream
/// when it is reconnecting.
enum HeaderBar {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        grid.fill(rect, with: Cell(" ", role: .header))
        let separator = " \(glyphs.separator) "
        let text = Text.displayable(" " + segments(state: state, glyphs: glyphs).joined(separator: separator), glyphs: glyphs)
        grid.put(Text.fit(text, width: rect.width, glyphs: glyphs), x: rect.x, y: rect.y, role: .header)
    }

    static func segments(state: AppState, glyphs: Glyphs) -> [String] {
        let name = state.settings.pod
        let podState = state.pod
        // First, so the narrowest header still says that nothing here changes anything.
        var parts: [String] = state.settings.readonly ? ["READ-ONLY"] : []
        if let pod = podState.pod {
            var first = "pod \(name) \(PodStatusText.pod(pod, glyphs: glyphs))"
            if let uptime = PodStatusText.uptime(pod, now: podState.now) { first += " \(uptime)" }
            parts.append(first)
        } else if let failure = podState.failure, podState.snapshot == nil {
            parts.append("pod \(name) \(glyphs.fail) \(PodStatusText.failure(failure))")
        } else if podState.snapshot == nil {
            parts.append("pod \(name) \(glyphs.pending) checking")
        } else {
            parts.append("pod \(name) \(glyphs.unknown) not up")
        }
        if let operation = podState.operation {
            parts.append("\(glyphs.pending) \(operation.rawValue)")
        }
        if case .reconnecting = podState.events {
            parts.append("events \(glyphs.warn) reconnecting")
        }
        if let pod = podState.pod {
            if pod.isManaged {
                for role in PodmanRole.allCases {
                    parts.append("\(role.rawValue) \(PodStatusText.container(pod.container(role: role), glyphs: glyphs))")
                }
            } else {
                parts.append("\(glyphs.warn) not made by opencode-ops")
            }
        } else {
            parts.append("image \(state.settings.image)")
        }
        return parts
    }
}
