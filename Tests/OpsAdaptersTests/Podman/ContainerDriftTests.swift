import Foundation
import OpsAdapters
import OpsCore
import Testing

/// What apply finds different between a planned container and the one that runs: names only.
@Suite(.tags(.podman)) struct ContainerDriftTests {
    static func spec(envFile: String? = nil, environment: [String: String] = [:]) -> PodmanContainerSpec {
        PodmanContainerSpec(
            role: .opencode, name: "p-opencode", image: "localhost/x:latest", environment: environment, envFile: envFile,
            mounts: [PodmanMount(volume: "p-opencode-data", path: "/data"), PodmanMount(volume: "p-backup-state", path: "/var/lib/opencode-backup")]
        )
    }

    static func running(_ environment: [String: String], mounts: [PodmanMount]? = nil, labels: [String: String] = [:]) -> PodmanContainerConfig {
        PodmanContainerConfig(
            name: "p-opencode", imageName: "localhost/x:latest", imageID: "sha256:aaaa11112222", environment: environment,
            mounts: mounts ?? spec().mounts, labels: labels
        )
    }

    @Test func matchingContainerHasNoReasons() {
        let running = Self.running(["PATH": "/bin", "HOSTNAME": "x", "IMAGE_DEFAULT": "d", "A": "1"])
        let reasons = ContainerDrift.reasons(spec: Self.spec(environment: ["A": "1"]), running: running, imageID: "sha256:aaaa11112222",
                                             imageDefaults: ["IMAGE_DEFAULT": "d"], digest: "same")
        #expect(reasons.isEmpty, "\(reasons)")
    }

    @Test func changedAndRemovedVariablesAreNamedWithoutValues() throws {
        let file = NSTemporaryDirectory() + "drift-\(UUID().uuidString).env"
        try "# secrets\nTOKEN=new-secret\nKEPT=same\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let running = Self.running(["TOKEN": "old-secret", "KEPT": "same", "GONE": "x", "IMAGE_DEFAULT": "overridden"])
        let reasons = ContainerDrift.reasons(spec: Self.spec(envFile: file), running: running, imageID: "sha256:aaaa11112222",
                                             imageDefaults: ["IMAGE_DEFAULT": "d"], digest: "")
        #expect(reasons == ["variables changed: IMAGE_DEFAULT, TOKEN", "variables removed: GONE"])
        #expect(!reasons.joined().contains("secret"))
    }

    @Test func newImageMissingVolumeAndChangedSettingsAreReported() {
        let old = Self.running([:], mounts: [PodmanMount(volume: "p-opencode-data", path: "/data")], labels: [ContainerDrift.specLabel: "old"])
        let reasons = ContainerDrift.reasons(spec: Self.spec(), running: old, imageID: "sha256:bbbb33334444", imageDefaults: [:], digest: "new")
        #expect(reasons == ["image localhost/x:latest is now bbbb33334444 (runs aaaa11112222)",
                            "volume p-backup-state at /var/lib/opencode-backup added"])
        let settingsOnly = ContainerDrift.reasons(spec: Self.spec(), running: Self.running([:], labels: [ContainerDrift.specLabel: "old"]),
                                                  imageID: "sha256:aaaa11112222", imageDefaults: [:], digest: "new")
        #expect(settingsOnly == ["settings changed (command, labels or options)"])
    }

    @Test func theDigestFollowsTheOptionsNotThePerCallEnvironmentFile() {
        func label(_ arguments: [String]) -> String? { arguments.first { $0.hasPrefix(ContainerDrift.specLabel + "=") } }
        var spec = Self.spec()
        let first = label(BringUpPlanner.containerCreateArguments(spec, pod: "p", environmentFile: "/tmp/a/config.env"))
        #expect(first != nil)
        #expect(label(BringUpPlanner.containerCreateArguments(spec, pod: "p", environmentFile: "/tmp/b/config.env")) == first)
        spec.stopTimeout += 5
        #expect(label(BringUpPlanner.containerCreateArguments(spec, pod: "p", environmentFile: "/tmp/a/config.env")) != first)
        #expect(ContainerDrift.digest(arguments: ["create", "y"]) != ContainerDrift.digest(arguments: ["create", "x"]))
    }
}
