/// Requests to the outside world that `update` returns; adapters run them and answer with actions.
public enum Effect: Equatable, Sendable {
    case loadTheme(name: String)
    case quit
}
