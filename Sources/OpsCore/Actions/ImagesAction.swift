/// Results of the images effects, sent by their runner.
public enum ImagesAction: Sendable {
    case listed(Result<ImageInventory, PodmanFailure>)
    case pruned(Result<PruneOutcome, PodmanFailure>)
}
