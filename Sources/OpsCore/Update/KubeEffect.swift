/// Requests to export the stack as Kubernetes manifests, run by the console's kube effect runner.
public enum KubeEffect: Equatable, Sendable {
}
