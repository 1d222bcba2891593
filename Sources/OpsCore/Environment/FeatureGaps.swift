/// Features that are off, or exposed, because a value is missing: read from the Environment rows
/// (what the next `up` would set), so the panel says what stops working, not just what is unset.
public enum FeatureGaps {
    public struct Gap: Equatable, Sendable {
        public var text: String
        /// True for an exposure on a non-loopback address: shown in the failure style.
        public var isSevere: Bool
    }

    public static func gaps(_ entries: [EnvironmentEntry], settings: Settings) -> [Gap] {
        var isSet: [String: Bool] = [:]
        for entry in entries where entry.kind == .variable {
            isSet[entry.name] = entry.isSecret ? entry.value == "set" : entry.source != .unset && !entry.value.isEmpty
        }
        func set(_ name: String) -> Bool { isSet[name] ?? false }
        var gaps: [Gap] = []
        if !set(ServerAccess.passwordVariable) {
            // `up` refuses unless allow_unauthenticated; either way nothing protects the server.
            let severe = !ServerAccess.isLoopback(settings.bindAddress)
            gaps.append(Gap(text: "server open: no \(ServerAccess.passwordVariable)", isSevere: severe))
        }
        let b2 = ["B2_APPLICATION_KEY_ID", "B2_APPLICATION_KEY", "B2_BUCKET"]
        if !b2.allSatisfy(set) && !set("BACKUP_REMOTE") {
            gaps.append(Gap(text: "backups off: no B2 keys", isSevere: false))
        }
        if !set("OPENAI_API_KEY") && !set("GRAPHITI_CLIENT_FACTORY") {
            gaps.append(Gap(text: "Graphiti memory off: no OPENAI_API_KEY", isSevere: false))
        }
        return gaps
    }

    /// The header's exposure warning while the pod runs without a server password; nil otherwise.
    public static func exposure(_ state: AppState) -> String? {
        guard let pod = state.pod.pod, pod.container(role: .opencode)?.state == .running else { return nil }
        guard let entry = state.environment.first(where: { $0.name == ServerAccess.passwordVariable }),
              entry.value != "set" else { return nil }
        return "OPEN: no server password"
    }
}
