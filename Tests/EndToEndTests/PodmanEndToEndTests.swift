import Testing

/// Every end-to-end suite that builds, runs or removes podman objects, one after another.
/// Podman 4.3 races when one test's build looks up cached layers while another removes images
/// ("checking if cached image exists from a previous build"), so these never overlap.
@Suite(.serialized) struct PodmanEndToEndTests {}
