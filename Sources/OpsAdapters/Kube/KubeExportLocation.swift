import Foundation

/// Where the console and `opencode-ops kube` write manifests when no folder is given: next to
/// the console's other state, so an export never lands in whatever directory it was started from.
public enum KubeExportLocation {
    public static func directory(paths: AppPaths) -> String {
        (paths.stateDirectory as NSString).appendingPathComponent("kube")
    }
}
