/// News one slice sends another while an action is reduced: a pod snapshot the backups follow,
/// a rollback offer the build leaves with the pod. `update` reduces each right after the action
/// that sent it, first sent first, so `update` stays pure and the order is fixed; the outbox is
/// empty again before `update` returns.
struct Outbox: Equatable, Sendable {
    private(set) var actions: [Action] = []

    mutating func append(_ action: Action) {
        actions.append(action)
    }

    mutating func next() -> Action? {
        actions.isEmpty ? nil : actions.removeFirst()
    }

    /// Outside `update` every outbox is empty, so their lengths say all there is to compare.
    static func == (lhs: Outbox, rhs: Outbox) -> Bool { lhs.actions.count == rhs.actions.count }
}
