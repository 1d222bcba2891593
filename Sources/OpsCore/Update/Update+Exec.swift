extension AppState {
    /// `e` opens a shell in OpenCode. `E` opens redis-cli in the database selected in Health, or
    /// asks which one when no database row is selected.
    mutating func runExec(_ command: Command) -> [Effect] {
        switch command {
        case .shell:
            return [.exec(.shell)]
        case .redisCli:
            if let role = selectedSidecar { return [.exec(.redisCli(role))] }
            overlay = .confirm(Confirmation(title: "redis-cli in which database?", detail: .sidecarChoice, operation: .chooseSidecar))
            return []
        default:
            return []
        }
    }

    /// The answer to "redis-cli in which database?".
    mutating func chooseSidecar(with key: Key) -> [Effect] {
        switch key {
        case .character("f"), .character("F"):
            overlay = nil
            return [.exec(.redisCli(.falkordb))]
        case .character("v"), .character("V"):
            overlay = nil
            return [.exec(.redisCli(.valkey))]
        case .escape, .character("n"), .character("q"):
            overlay = nil
            return []
        default:
            return []
        }
    }

    /// FalkorDB or Valkey when its probe is the selected row of the focused Health panel.
    private var selectedSidecar: PodmanRole? {
        guard focus == .health else { return nil }
        let selection = position(of: .health).selection
        guard health.order.indices.contains(selection) else { return nil }
        switch health.order[selection] {
        case .falkordb: return .falkordb
        case .valkey: return .valkey
        default: return nil
        }
    }
}
