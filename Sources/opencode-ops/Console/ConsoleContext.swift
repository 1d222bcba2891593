import OpsCore

/// What every effect runner gets: the start-up facts and the way back into the run loop.
struct ConsoleContext: Sendable {
    let startup: Startup
    /// Hands an action to the terminal thread; safe from any thread.
    let post: @Sendable (Action) -> Void
    /// Hands the terminal thread a collector it runs when it drains (see `Mailbox`): for sources
    /// that may outrun the loop.
    let postCollecting: @Sendable (@escaping @Sendable () -> [Action]) -> Void
}
