/// The images and disk overlay's data: asked for when the overlay opens, and again after a prune.
public enum ImagesState: Equatable, Sendable {
    case notLoaded
    /// `thenConfirmPrune`: `P` asked for a fresh listing to base its question on.
    case loading(previous: ImageInventory?, thenConfirmPrune: Bool)
    case loaded(ImageInventory)
    case failed(String, previous: ImageInventory?)
    /// A prune is running; the inventory it started from stays on screen.
    case pruning(ImageInventory)

    /// The newest inventory there is, whatever is happening now.
    public var inventory: ImageInventory? {
        switch self {
        case .notLoaded: return nil
        case .loading(let previous, _), .failed(_, let previous): return previous
        case .loaded(let inventory), .pruning(let inventory): return inventory
        }
    }
}
