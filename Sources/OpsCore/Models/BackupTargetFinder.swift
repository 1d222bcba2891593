/// Which containers of a pod snapshot the backups use: the running OpenCode container runs the
/// scripts; the sidecars are named by role (or by the names `up` gives them).
public enum BackupTargetFinder {
    /// The target when the OpenCode container is running; otherwise nil and why.
    public static func target(in snapshot: PodSnapshot) -> (BackupTarget?, reason: String) {
        guard let pod = snapshot.pod else { return (nil, "pod \(snapshot.podName) does not exist") }
        guard let opencode = pod.container(role: .opencode) else {
            return (nil, "pod \(pod.name) has no OpenCode container")
        }
        guard opencode.state == .running else {
            return (nil, "\(opencode.name) is not running")
        }
        let name = { (role: PodmanRole) in pod.container(role: role)?.name ?? role.containerName(pod: pod.name) }
        return (BackupTarget(container: opencode.name, falkordb: name(.falkordb), valkey: name(.valkey)), "")
    }
}
