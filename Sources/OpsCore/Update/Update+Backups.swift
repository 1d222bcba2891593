extension AppState {
    /// Applies a backups action.
    mutating func reduce(_ action: BackupsAction) -> [Effect] {
        switch action {}
    }

    /// Runs a backups command chosen by key or palette.
    mutating func runBackups(_ command: Command) -> [Effect] {
        []
    }

    /// Carries out a backups operation the operator confirmed.
    mutating func confirmBackups(_ operation: ConfirmedOperation) -> [Effect] {
        []
    }
}
