import Foundation
import OpsAdapters
import OpsCore
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Shared set-up for the tests against real podman: the test containers.conf, the stand-in
/// images, per-test names, ports from 14300-14399 and the `opencode-ops-test=podman` label.
enum PodmanTestSupport {
    static let label = "opencode-ops-test"
    static let labelValue = "podman"
    static let namePrefix = "ooptest-"
    static let sidecarImage = "localhost/opencode-ops-test/sidecar-standin:2"
    static let baseImage = "localhost/opencode-ops-test/debian:bookworm"

    /// Repository root, from this file's path (Tests/OpsAdaptersTests/Podman/...).
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let imagesDirectory = repoRoot + "/Tests/podman/images"

    /// The environment every podman the tests start gets.
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINERS_CONF"] = repoRoot + "/Tests/Support/containers.conf"
        return environment
    }()

    static let toolsRequired = ProcessInfo.processInfo.environment["OPS_REQUIRE_TOOLS"] == "1"

    static var podmanInstalled: Bool {
        (try? ProcessRunner(environment: environment).locate("podman")) != nil
    }

    /// Run when podman is there, and always when tools are required (then a missing podman fails).
    static var shouldRun: Bool { podmanInstalled || toolsRequired }

    static var client: PodmanClient {
        PodmanClient(binary: "podman", runner: ProcessRunner(environment: environment))
    }

    static let options = PodmanDeployOptions(extraLabels: [label: labelValue], stopTimeout: 1)

    /// Runs a podman command the test needs directly (setup, assertions).
    @discardableResult
    static func podman(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner(environment: environment).run("podman", arguments)
    }

    /// Settings for one test: its own pod, image tag, port and secrets file.
    static func settings(_ name: String, port: Int, context: String) throws -> Settings {
        var settings = Settings()
        settings.pod = namePrefix + name
        settings.image = "localhost/\(namePrefix)\(name)/opencode:latest"
        settings.falkordbImage = sidecarImage
        settings.valkeyImage = sidecarImage
        settings.port = port
        settings.bindAddress = "127.0.0.1"
        settings.buildContext = context
        settings.environment = ["OPS_TEST_SETTING": "visible"]
        let secrets = context + "/secrets.env"
        try "# test secrets\nOPS_TEST_SECRET=s3cret\nOPENCODE_SERVER_PASSWORD=test-server-pw\n".write(toFile: secrets, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets)
        settings.envFile = secrets
        return settings
    }

    static func deployer(_ settings: Settings) -> PodmanDeployer {
        PodmanDeployer(
            client: client, settings: settings,
            secrets: SecretsFileCheck(path: settings.envFile, isDefault: false), options: options
        )
    }

    static func builder(_ settings: Settings) -> PodmanBuilder {
        PodmanBuilder(
            client: client, settings: settings,
            history: PodmanBuildHistory(stateDirectory: settings.buildContext + "/state")
        )
    }

    /// A fresh build context: the OpenCode stand-in Containerfiles plus a static busybox.
    static func makeContext(_ name: String) throws -> String {
        let directory = NSTemporaryDirectory() + "\(namePrefix)\(name)-\(UUID().uuidString.prefix(8))"
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = imagesDirectory + "/opencode-standin"
        for file in try files.contentsOfDirectory(atPath: source) {
            try files.copyItem(atPath: "\(source)/\(file)", toPath: "\(directory)/\(file)")
        }
        let busybox = try ProcessRunner().locate("busybox").path
        try files.copyItem(atPath: busybox, toPath: directory + "/busybox")
        return directory
    }

    /// Builds the sidecar stand-in once (and the Debian base image it needs), as setup.sh does.
    static func ensureSidecarImage() async throws {
        try await SidecarImage.shared.ensure()
    }

    /// Runs one test with its own settings, cleaning its podman objects before and after.
    static func scenario(_ name: String, port: Int, _ body: (Settings) async throws -> Void) async throws {
        let settings = try settings(name, port: port, context: makeContext(name))
        await clean(settings, removeContext: false)
        do {
            try await body(settings)
        } catch {
            await clean(settings, removeContext: true)
            throw error
        }
        await clean(settings, removeContext: true)
    }

    /// Removes everything one test made: pod, containers, volumes, images.
    static func clean(_ settings: Settings, removeContext: Bool) async {
        let pod = settings.pod
        _ = try? await podman(["pod", "rm", "--force", "--time", "0", pod])
        for role in PodmanRole.allCases {
            _ = try? await podman(["rm", "--force", "--time", "0", role.containerName(pod: pod)])
            _ = try? await podman(["rm", "--force", "--time", "0", ContainerReplacement.asideName(role.containerName(pod: pod))])
        }
        for volume in PodmanVolumes.all(pod: pod) { _ = try? await podman(["volume", "rm", "--force", volume]) }
        let previous = PodmanRebuilder.previousTag(for: settings.image)
        _ = try? await podman(["rmi", "--force", settings.image, previous])
        if removeContext { try? FileManager.default.removeItem(atPath: settings.buildContext) }
    }

    /// Builds the test's OpenCode image with the production builder and brings the pod up.
    static func buildAndUp(_ settings: Settings) async throws -> PodmanBringUpResult {
        try await ensureSidecarImage()
        let outcome = try await finalOutcome(of: builder(settings).build(tag: settings.image))
        guard case .succeeded = outcome else {
            Issue.record("stand-in build failed: \(outcome)")
            throw PodmanFailure.imageMissing(image: settings.image, hint: "test build failed")
        }
        return try await deployer(settings).up()
    }

    static func finalOutcome(of job: PodmanJob<PodmanBuildUpdate>) async throws -> PodmanBuildOutcome {
        for await update in job.updates {
            if case .finished(let outcome) = update { return outcome }
        }
        throw PodmanFailure.unexpectedOutput(command: "build", detail: "no outcome")
    }

    static func finalOutcome(of job: PodmanJob<PodmanRebuildUpdate>) async throws -> PodmanRebuildOutcome {
        for await update in job.updates {
            switch update {
            case .finished(let outcome): return outcome
            case .failed(let failure): throw failure
            default: continue
            }
        }
        throw PodmanFailure.unexpectedOutput(command: "rebuild", detail: "no outcome")
    }

    /// GET http://127.0.0.1:port/path, retried while the server starts (up to two minutes: a
    /// ceiling for "never answered", not a speed check).
    static func httpGet(port: Int, path: String, attempts: Int = 480) async -> (Int, String)? {
        let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
        for _ in 0..<attempts {
            if let (data, response) = try? await URLSession.shared.data(from: url), let http = response as? HTTPURLResponse {
                return (http.statusCode, String(decoding: data, as: UTF8.self))
            }
            try? await Task.sleep(nanoseconds: 250_000_000)
        }
        return nil
    }

    /// Removes everything labelled by earlier runs of this suite.
    static func cleanByLabel() async {
        let filter = "label=\(label)=\(labelValue)"
        if let pods = try? await podman(["pod", "ps", "--quiet", "--filter", filter]) {
            for id in pods.stdoutText.split(separator: "\n") { _ = try? await podman(["pod", "rm", "--force", "--time", "0", String(id)]) }
        }
        if let containers = try? await podman(["ps", "--all", "--quiet", "--filter", filter]) {
            for id in containers.stdoutText.split(separator: "\n") { _ = try? await podman(["rm", "--force", "--time", "0", String(id)]) }
        }
        _ = try? await podman(["volume", "prune", "--force", "--filter", filter])
        if let images = try? await podman(["images", "--quiet", "--filter", "reference=localhost/\(namePrefix)*"]) {
            for id in Set(images.stdoutText.split(separator: "\n")) { _ = try? await podman(["rmi", "--force", String(id)]) }
        }
    }
}

/// Builds the sidecar stand-in at most once per test run.
private actor SidecarImage {
    static let shared = SidecarImage()
    private var ready = false

    func ensure() async throws {
        if ready { return }
        let exists = try await PodmanTestSupport.podman(["image", "exists", PodmanTestSupport.sidecarImage])
        if exists.exitCode != 0 {
            let base = try await PodmanTestSupport.podman(["image", "exists", PodmanTestSupport.baseImage])
            if base.exitCode != 0 {
                let script = PodmanTestSupport.repoRoot + "/Tests/Support/base-image.sh"
                let made = try await ProcessRunner(environment: PodmanTestSupport.environment).run("bash", [script])
                #expect(made.succeeded, "base image: \(made.stderrText)")
            }
            let built = try await PodmanTestSupport.podman([
                "build", "--format", "docker", "--tag", PodmanTestSupport.sidecarImage,
                PodmanTestSupport.imagesDirectory + "/sidecar-standin",
            ])
            #expect(built.succeeded, "sidecar stand-in build: \(built.stderrText)")
        }
        ready = true
    }
}

/// Cleans by label before and after the suite, so leftovers of a crashed run do not matter.
struct PodmanCleanupTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        if PodmanTestSupport.podmanInstalled { await PodmanTestSupport.cleanByLabel() }
        do {
            try await function()
        } catch {
            if PodmanTestSupport.podmanInstalled { await PodmanTestSupport.cleanByLabel() }
            throw error
        }
        if PodmanTestSupport.podmanInstalled { await PodmanTestSupport.cleanByLabel() }
    }
}

extension Trait where Self == PodmanCleanupTrait {
    static var podmanCleanup: Self { PodmanCleanupTrait() }
}

/// Every test that needs podman, in one serialized suite: the label cleanup before and after
/// must not remove another suite's pod half-way, and on two cores parallel pods only queue.
@Suite(.tags(.podman), .serialized, .podmanCleanup, .enabled(if: PodmanTestSupport.shouldRun), .timeLimit(.minutes(10)))
struct PodmanTests {}

extension String {
    /// Writes a secrets file as an operator keeps it: readable by its owner only (an atomic
    /// write makes a new file, so the mode is set again after every write).
    func writeSecrets(to path: String) throws {
        try write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
