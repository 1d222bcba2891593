import Foundation
import OpsCore

extension JobLock {
    /// Whether a job of lock group `name` runs, and its holder record, without taking the lock
    /// (a shared flock that fails only while a job holds it exclusively).
    public static func peek(stateDirectory: String, name: String) -> (isHeld: Bool, holder: JobLockHolder?) {
        let fd = open(path(stateDirectory: stateDirectory, name: name), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return (false, nil) }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return (false, nil)
        }
        return (true, readHolder(fd))
    }

    /// The rebuild, rollback or apply job replacing the OpenCode container now, if any.
    public static func replacingJob(stateDirectory: String) -> JobLockHolder? {
        let (held, holder) = peek(stateDirectory: stateDirectory, name: JobKind.rebuild.lockName)
        guard held, let holder, holder.kind.replacesContainers else { return nil }
        return holder
    }
}
