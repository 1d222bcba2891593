import OpsCore

/// The top line: the pod and its containers, their states and uptime, and the events stream
/// when it is reconnecting.
enum HeaderBar {
    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        grid.fill(rect, with: Cell(" ", role: .header))
        let separator = " \(glyphs.separator) "
        var parts = segments(state: state, glyphs: glyphs)
        let exposure = FeatureGaps.exposure(state).map { "\(glyphs.fail) \($0)" }
        // The exposure goes first, where a narrow terminal cannot cut it off.
        if let exposure { parts.insert(exposure, at: 0) }
        let text = Text.displayable(" " + parts.joined(separator: separator), glyphs: glyphs)
        grid.put(Text.fit(text, width: rect.width, glyphs: glyphs), x: rect.x, y: rect.y, role: .header)
        if let exposure {
            let width = min(exposure.count + 1, rect.width)
            grid.restyle(Rect(x: rect.x, y: rect.y, width: width, height: 1), role: .fail)
        }
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
