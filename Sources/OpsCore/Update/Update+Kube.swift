extension AppState {
    /// Runs a Kubernetes export command chosen by key or palette; the result comes back as a
    /// message. Writing files changes nothing running, so there is nothing to confirm.
    mutating func runKube(_ command: Command) -> [Effect] {
        guard command == .exportKube else { return [] }
        return [.kube(.export(settings))]
    }
}
