import Foundation
import OpsCore

/// Words and symbols for pod and container states, shared by the header and the panel:
/// every state shows a symbol and a word, never colour alone.
enum PodStatusText {
    /// `● running`, `▲ degraded`, ...
    static func pod(_ pod: PodmanPod, glyphs: Glyphs) -> String {
        let symbol: String
        switch pod.state {
        case .running: symbol = glyphs.ok
        case .degraded, .created, .paused: symbol = glyphs.warn
        case .stopped, .exited, .dead: symbol = glyphs.fail
        case .unknown: symbol = glyphs.unknown
        }
        return "\(symbol) \(pod.state.text)"
    }

    /// `● healthy`, `◌ starting`, `● up`, `✖ exited`, ... A container's health wins over its state
    /// while it runs.
    static func container(_ container: PodmanContainer?, glyphs: Glyphs) -> String {
        guard let container else { return "\(glyphs.fail) missing" }
        if container.state == .running {
            switch container.health.status {
            case .healthy: return "\(glyphs.ok) healthy"
            case .starting: return "\(glyphs.pending) starting"
            case .unhealthy: return "\(glyphs.fail) unhealthy"
            case .none: return "\(glyphs.ok) up"
            }
        }
        switch container.state {
        case .created, .paused, .stopping, .removing: return "\(glyphs.warn) \(container.state.text)"
        default: return "\(glyphs.fail) \(container.state.text)"
        }
    }

    /// The pod's uptime: since its earliest running workload container started.
    static func uptime(_ pod: PodmanPod, now: Date?) -> String? {
        guard let now else { return nil }
        let uptimes = pod.workloadContainers.compactMap { $0.uptime(now: now) }
        return uptimes.max().map(BuildClock.uptime)
    }

    /// A failure in a few words for the header (the full message is in the messages list).
    static func failure(_ failure: PodmanFailure) -> String {
        switch failure {
        case .notInstalled: return "podman not found"
        case .tooOld(let version, _): return "podman \(version) too old"
        case .permissionDenied: return "podman: permission denied"
        case .foreignPod: return "pod not made by opencode-ops"
        default: return "podman error (m: messages)"
        }
    }
}
