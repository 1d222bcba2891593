extension AppState {
    /// Applies a health action.
    mutating func reduce(_ action: HealthAction) -> [Effect] {
        switch action {}
    }

    /// Runs a health command chosen by key or palette.
    mutating func runHealth(_ command: Command) -> [Effect] {
        []
    }

    /// Carries out a health operation the operator confirmed.
    mutating func confirmHealth(_ operation: ConfirmedOperation) -> [Effect] {
        []
    }
}
