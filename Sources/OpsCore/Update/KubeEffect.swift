/// Requests to export the stack as Kubernetes manifests, run by the console's kube effect runner.
public enum KubeEffect: Equatable, Sendable {
    /// Write the manifests for these settings to the export folder; the runner posts a message
    /// saying where they went (or why they could not be written).
    case export(Settings)
}
