extension AppState {
    /// Runs a Kubernetes export command chosen by key or palette; the result comes back as a
    /// message.
    mutating func runKube(_ command: Command) -> [Effect] {
        []
    }
}
