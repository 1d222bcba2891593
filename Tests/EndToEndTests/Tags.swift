import Testing

/// Areas `Tests/run.sh` selects by tag, across test targets (see ARCHITECTURE.md).
extension Tag {
    @Tag static var jobs: Self
}
