import Foundation

extension AppState {
    /// `I` opens (or closes) the images and disk overlay and lists afresh; `P` lists afresh and
    /// then asks, so the question is never based on an old listing.
    mutating func runImages(_ command: Command) -> [Effect] {
        let list = Effect.images(.list(reference: settings.image, pod: settings.pod))
        switch command {
        case .images:
            if case .images? = overlay {
                overlay = nil
                return []
            }
            overlay = .images(scroll: 0)
            images = .loading(previous: images.inventory, thenConfirmPrune: false)
            return [list]
        case .prune:
            if case .pruning = images {
                messages.append("a prune is running already", level: .warning)
                return []
            }
            // A build retags images as it ends: prune after it, from a listing taken then.
            if let running = runningReplacement ?? build.run.map({ _ in "the build" }) {
                messages.append("\(running) is running: prune once it has ended", level: .warning)
                return []
            }
            images = .loading(previous: images.inventory, thenConfirmPrune: true)
            return [list]
        default:
            return []
        }
    }

    mutating func reduce(_ action: ImagesAction) -> [Effect] {
        switch action {
        case .listed(.success(let inventory)):
            let confirmPrune = if case .loading(_, true) = images { true } else { false }
            images = .loaded(inventory)
            if confirmPrune { askToPrune(inventory) }
            return []
        case .listed(.failure(let failure)):
            images = .failed(failure.message, previous: images.inventory)
            messages.append("images: \(failure.message)", level: .failure)
            return []
        case .pruned(let result):
            let inventory = images.inventory
            images = inventory.map { .loaded($0) } ?? .notLoaded
            switch result {
            case .success(let outcome):
                messages.append("prune: \(outcome.summary)", level: outcome.refused.isEmpty ? .success : .warning)
            case .failure(let failure):
                messages.append("prune failed: \(failure.message)", level: .failure)
            }
            return [.images(.list(reference: settings.image, pod: settings.pod))]
        }
    }

    /// The confirmation names every image that goes and the most it frees; nothing to prune is
    /// said, not asked.
    private mutating func askToPrune(_ inventory: ImageInventory) {
        let prunable = inventory.prunable
        guard !prunable.isEmpty else {
            messages.append("nothing to prune: only the configured image, :previous and images in use are left", level: .success)
            return
        }
        overlay = .confirm(Confirmation(title: "Prune old images?", detail: .prune(inventory), operation: .prune(ids: prunable.map(\.image.id)), yes: "prune"))
    }

    /// Carries out a prune the operator confirmed; the runner checks each id again before removing it.
    mutating func confirmImages(_ operation: ConfirmedOperation) -> [Effect] {
        guard case .prune(let ids) = operation, let inventory = images.inventory else { return [] }
        images = .pruning(inventory)
        messages.append("pruning \(ids.count) image\(ids.count == 1 ? "" : "s")")
        return [.images(.prune(ids: ids, reference: settings.image, pod: settings.pod))]
    }
}
