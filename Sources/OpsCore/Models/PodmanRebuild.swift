import Foundation

/// Phases of rebuild-and-replace, for the Build & Logs panel.
public enum PodmanRebuildPhase: Equatable, Sendable {
    case building
    /// The running image is kept as `previousTag` before the new one takes the name.
    case keepingPrevious(previousTag: String)
    /// A backup or restore (started by cron, say, during the build) runs in the container: the
    /// replacement waits for it instead of killing it.
    case waitingForBackup(run: String)
    case replacing(container: String)
    case waitingForHealth(container: String, deadline: TimeInterval)
}

/// How rebuild-and-replace (or a rollback) ended.
public enum PodmanRebuildOutcome: Equatable, Sendable {
    /// The new container runs and is healthy (or has no health check and runs).
    case replaced(container: String, imageID: String, healthy: Bool)
    /// Built and tagged, but the pod is not up, so nothing was replaced.
    case builtOnly(imageID: String)
    /// The build failed or was cancelled; the running container was not touched.
    case buildFailed(PodmanBuildOutcome)
    /// The new container did not become healthy in time. `previousTag` is set when rollback
    /// is possible.
    case notHealthy(container: String, imageID: String, reason: String, previousTag: String?)
}

public enum PodmanRebuildUpdate: Equatable, Sendable {
    case build(PodmanBuildUpdate)
    case phase(PodmanRebuildPhase)
    case finished(PodmanRebuildOutcome)
    case failed(PodmanFailure)
}

/// Result of waiting for a container to become healthy.
public enum PodmanHealthWait: Equatable, Sendable {
    case healthy(after: TimeInterval)
    /// The image has no health check; the container is running.
    case runningWithoutHealthcheck
    case notHealthy(reason: String)
}

/// Image references as rebuild and rollback name them.
public enum PodmanImageReference {
    /// `repo:previous` for `repo:tag` (a digest is dropped; a missing tag counts as `latest`).
    public static func previousTag(for image: String) -> String {
        var reference = image
        if let at = reference.firstIndex(of: "@") { reference = String(reference[..<at]) }
        let lastSlash = reference.lastIndex(of: "/") ?? reference.startIndex
        if let colon = reference[lastSlash...].lastIndex(of: ":") { reference = String(reference[..<colon]) }
        return reference + ":previous"
    }

    /// The first 12 characters of an image or container id, as podman shows them.
    public static func short(_ id: String) -> String {
        var id = id
        if id.hasPrefix("sha256:") { id.removeFirst("sha256:".count) }
        return String(id.prefix(12))
    }
}
