/// Requests about the project's images and podman's storage, run by the images effect runner.
public enum ImagesEffect: Equatable, Sendable {
    /// List the images of `reference`'s repository, the pod's volumes and the storage totals.
    case list(reference: String, pod: String)
    /// Remove these images (ids), then list again. Only ids the inventory called prunable.
    case prune(ids: [String], reference: String, pod: String)
}
