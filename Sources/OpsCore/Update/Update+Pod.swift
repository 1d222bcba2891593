extension AppState {
    /// Applies a pod action.
    mutating func reduce(_ action: PodAction) -> [Effect] {
        switch action {}
    }

    /// Runs a pod command chosen by key or palette.
    mutating func runPod(_ command: Command) -> [Effect] {
        []
    }

    /// Carries out a pod operation the operator confirmed.
    mutating func confirmPod(_ operation: ConfirmedOperation) -> [Effect] {
        []
    }
}
