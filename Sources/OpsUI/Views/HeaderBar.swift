import OpsCore

/// The top line: the pod and its containers with their states and uptime, the server's URL, the
/// image, the podman connection and the theme. When the line is too narrow, the least needed
/// parts shorten, then go: the theme first, the pod's state last.
enum HeaderBar {
    /// One part of the line; a higher `priority` stays longer.
    struct Segment: Equatable {
        var text: String
        var priority: Int
        /// A shorter form tried before the segment is dropped.
        var short: String?

        init(_ text: String, priority: Int, short: String? = nil) {
            self.text = text
            self.priority = priority
            self.short = short
        }
    }

    static func draw(into grid: inout Grid, _ rect: Rect, state: AppState, glyphs: Glyphs) {
        grid.fill(rect, with: Cell(" ", role: .header))
        var parts = segments(state: state, glyphs: glyphs)
        let exposure = FeatureGaps.exposure(state).map { "\(glyphs.fail) \($0)" }
        // The exposure goes first, where a narrow terminal cannot cut it off.
        if let exposure { parts.insert(Segment(exposure, priority: 100), at: 0) }
        let separator = " \(glyphs.separator) "
        let shown = fit(parts, width: rect.width - 1, separator: separator)
        let text = Text.displayable(" " + shown.joined(separator: separator), glyphs: glyphs)
        grid.put(Text.fit(text, width: rect.width, glyphs: glyphs), x: rect.x, y: rect.y, role: .header)
        if let exposure {
            let width = min(exposure.count + 1, rect.width)
            grid.restyle(Rect(x: rect.x, y: rect.y, width: width, height: 1), role: .fail)
        }
    }

    /// Parts from this priority up are never dropped: the pod's state, read-only, the exposure.
    static let kept = 80

    /// The texts that fit `width` joined by `separator`, in their order: from the lowest
    /// priority up, each part takes its short form, then goes, until the rest fits. What still
    /// does not fit is cut by the caller.
    static func fit(_ segments: [Segment], width: Int, separator: String) -> [String] {
        var texts: [String?] = segments.map(\.text)
        func fits() -> Bool {
            texts.compactMap { $0 }.joined(separator: separator).count <= width
        }
        let byNeed = segments.indices.sorted { segments[$0].priority < segments[$1].priority }
        for index in byNeed where !fits() {
            if let short = segments[index].short {
                texts[index] = short
                if fits() { break }
            }
            if segments[index].priority < kept { texts[index] = nil }
        }
        return texts.compactMap { $0 }
    }

    static func segments(state: AppState, glyphs: Glyphs) -> [Segment] {
        let name = state.settings.pod
        let podState = state.pod
        var parts: [Segment] = []
        // First, so the narrowest header still says that nothing here changes anything.
        if state.settings.readonly { parts.append(Segment("READ-ONLY", priority: 90)) }
        if let pod = podState.pod {
            var first = "pod \(name) \(PodStatusText.pod(pod, glyphs: glyphs))"
            if let uptime = PodStatusText.uptime(pod, now: podState.now) { first += " \(uptime)" }
            parts.append(Segment(first, priority: 80))
        } else if let failure = podState.failure, podState.snapshot == nil {
            parts.append(Segment("pod \(name) \(glyphs.fail) \(PodStatusText.failure(failure))", priority: 80))
        } else if podState.snapshot == nil {
            parts.append(Segment("pod \(name) \(glyphs.pending) checking", priority: 80))
        } else {
            parts.append(Segment("pod \(name) \(glyphs.unknown) not up", priority: 80))
        }
        if let operation = podState.operation {
            parts.append(Segment("\(glyphs.pending) \(operation.rawValue)", priority: 70))
        }
        if case .reconnecting = podState.events {
            parts.append(Segment("events \(glyphs.warn) reconnecting", priority: 60))
        }
        if let pod = podState.pod {
            if pod.isManaged {
                for role in PodmanRole.allCases {
                    var text = PodStatusText.container(pod.container(role: role), glyphs: glyphs)
                    if role == .opencode, state.openCodeAnswersWhileStarting { text = "\(glyphs.ok) starting (HTTP ok)" }
                    parts.append(Segment("\(role.rawValue) \(text)", priority: role == .opencode ? 50 : 40))
                }
            } else {
                parts.append(Segment("\(glyphs.warn) not made by opencode-ops", priority: 50))
            }
        }
        parts.append(Segment(url(state.settings), priority: 30))
        let image = state.settings.image
        let shortImage = image.hasPrefix("localhost/") ? "image " + image.dropFirst("localhost/".count) : nil
        parts.append(Segment("image \(image)", priority: 20, short: shortImage))
        let connection = state.settings.podmanConnection.isEmpty ? state.podmanEndpoint.name : state.settings.podmanConnection
        parts.append(Segment("podman \(connection)", priority: 10))
        parts.append(Segment("theme \(state.theme.name)", priority: 0))
        return parts
    }

    /// `http://127.0.0.1:4096`: where the OpenCode server answers, from the settings.
    static func url(_ settings: Settings) -> String {
        let host = settings.bindAddress.contains(":") ? "[\(settings.bindAddress)]" : settings.bindAddress
        return "http://\(host):\(settings.port)"
    }
}
