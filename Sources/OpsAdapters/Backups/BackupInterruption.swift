import Foundation
import OpsCore

/// Why a followed run stopped reporting before it recorded a result: most often the OpenCode
/// container was stopped or removed under it (`down`, `podman stop`, a crash).
public enum BackupInterruption {
    /// `interrupted during upload: container x-opencode is exited (exit 137)`.
    public static func reason(podman: PodmanClient, container: String, last: BackupRunRecord?) async -> String {
        let phase = last.map { $0.phase.isEmpty ? "" : " during \($0.phase)" } ?? ""
        let state: String
        switch try? await podman.snapshotContainer(container) {
        case nil:
            state = "container \(container) was removed"
        case let found? where found.state != .running:
            state = "container \(container) is \(found.state.text)" + (found.exitCode.map { " (exit \($0))" } ?? "")
        case .some:
            state = "its status stream ended before it recorded a result"
        }
        return "interrupted\(phase): \(state)"
    }
}
