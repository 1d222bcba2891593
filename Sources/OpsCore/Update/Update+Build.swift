extension AppState {
    /// Applies a build action.
    mutating func reduce(_ action: BuildAction) -> [Effect] {
        switch action {}
    }

    /// Runs a build command chosen by key or palette.
    mutating func runBuild(_ command: Command) -> [Effect] {
        []
    }

    /// Carries out a build operation the operator confirmed.
    mutating func confirmBuild(_ operation: ConfirmedOperation) -> [Effect] {
        []
    }
}
