extension AppState {
    /// Applies a jobs action.
    mutating func reduce(_ action: JobsAction) -> [Effect] {
        switch action {}
    }

    /// Runs a jobs command chosen by key or palette.
    mutating func runJobs(_ command: Command) -> [Effect] {
        []
    }

    /// Carries out a jobs operation the operator confirmed.
    mutating func confirmJobs(_ operation: ConfirmedOperation) -> [Effect] {
        []
    }
}
