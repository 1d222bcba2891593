import Foundation
import OpsAdapters
import OpsCore

/// Runs the probes on their schedule (from `.start`, which `update` returns as the console opens), and posts what comes back as actions. The environment
/// view is refreshed from the healthcheck probe's own inspect, so it needs no polling of its own.
public final class HealthEffectRunner: Sendable {
    let context: ConsoleContext
    private let engine: HealthEngine

    public init(context: ConsoleContext) {
        self.context = context
        engine = HealthEngine(startup: context.startup, post: context.post)
    }

    public func perform(_ effect: HealthEffect) {
        let engine = engine
        Task { await engine.perform(effect) }
    }

    /// Called when the console closes.
    public func stop() {
        let engine = engine
        Task { await engine.stop() }
    }
}

/// The probes' scheduler and the environment's inputs, owned off the terminal thread.
actor HealthEngine {
    private let startup: Startup
    private let post: @Sendable (Action) -> Void
    private let client: PodmanClient
    /// The probes while they run; nil before `.start` and while the secrets file is rewritten.
    private var probes: RunningProbes?
    private var envFile: [String: String] = [:]
    private var imageDefaults: (origin: EnvironmentOrigin, values: [String: String])?
    /// The image id of the container last seen, so a rebuilt image is inspected again.
    private var lastImageID: String?
    private var stopped = false

    init(startup: Startup, post: @escaping @Sendable (Action) -> Void) {
        self.startup = startup
        self.post = post
        client = PodmanClient(settings: startup.settings)
    }

    func start() async {
        guard probes == nil, !stopped else { return }
        envFile = readEnvFile()
        let settings = startup.settings
        // What the next `up` gives the container, without image defaults (probes know those).
        let environment = envFile.merging(settings.environment) { _, config in config }
        let set = ProbeSet(settings: settings, environment: environment, client: client)
        let scheduler = ProbeScheduler(probes: set.probes)
        post(.health(.started(set.probes.map(\.id).filter { $0 != .b2Authorize })))
        probes = RunningProbes(set: set, scheduler: scheduler, consumer: Task { [weak self] in
            for await result in scheduler.results {
                await self?.handle(result)
            }
        })
        await scheduler.start()
    }

    func perform(_ effect: HealthEffect) async {
        if case .writeSecrets(let path) = effect {
            await writeSecrets(path)
            return
        }
        if case .start = effect {
            await start()
            return
        }
        guard let probes else { return }
        let scheduler = probes.scheduler
        switch effect {
        case .writeSecrets, .start:
            break
        case .runAll:
            imageDefaults = nil
            for id in await scheduler.probeIDs where id != .b2Authorize { await scheduler.runNow(id) }
        case .run(let id):
            await scheduler.runNow(id)
        case .runHealthcheck:
            let health = probes.set.health
            let post = post
            Task {
                let result = await health.runHealthcheck()
                post(.health(.result(result)))
                await self.refreshEnvironment()
            }
        }
    }

    func stop() async {
        stopped = true
        await stopProbes()
    }

    private func stopProbes() async {
        guard let probes else { return }
        self.probes = nil
        probes.consumer.cancel()
        await probes.scheduler.stop()
        await probes.set.close()
    }

    private func handle(_ result: ProbeResult) async {
        post(.health(.result(result)))
        if result.probe == .podmanHealth { await refreshEnvironment() }
    }

    /// Rebuilds the environment rows from the inspect the healthcheck probe just made.
    private func refreshEnvironment() async {
        guard let set = probes?.set else { return }
        var running: [String: String]?
        var containerRunning: Bool?
        switch await set.inspection.value() {
        case .success(let snapshot?):
            containerRunning = snapshot.container.state == .running
            if containerRunning == true { running = snapshot.environment }
            if snapshot.container.imageID != lastImageID {
                lastImageID = snapshot.container.imageID
                imageDefaults = nil
            }
        case .success(nil):
            containerRunning = false
        case .failure:
            containerRunning = nil
        }
        let defaults = await currentImageDefaults()
        let layers = EnvLayers(imageDefaults: defaults.values, envFile: envFile,
                               config: startup.settings.environment, running: running,
                               declaredSecrets: startup.settings.secretNames)
        post(.health(.environment(rows: EnvironmentModel.rows(layers), origin: defaults.origin, containerRunning: containerRunning)))
    }

    /// The configured image's ENV when it exists, else the Containerfile's; cached until the
    /// container's image changes or every probe is run by hand.
    private func currentImageDefaults() async -> (origin: EnvironmentOrigin, values: [String: String]) {
        if let imageDefaults { return imageDefaults }
        let image = startup.settings.image
        var found: (origin: EnvironmentOrigin, values: [String: String])
        do {
            if let inspected = try await client.inspectImage(image) {
                found = (.image(image), inspected.environmentDefaults)
            } else {
                found = (.containerfile, containerfileDefaults)
            }
        } catch {
            // Podman itself failing is reported by the pod side and the healthcheck probe; the
            // panel's header already says the defaults come from the Containerfile.
            found = (.containerfile, containerfileDefaults)
        }
        imageDefaults = found
        return found
    }

    private var containerfileDefaults: [String: String] {
        Dictionary(startup.containerfileVariables.map { ($0.name, $0.value) }) { _, later in later }
    }

    /// The env file's values (secrets included: they stay in this actor and the probes).
    /// Writes the secrets file as `init` does, then starts the probes again on its values so the
    /// server and database passwords are used from now on.
    private func writeSecrets(_ path: String) async {
        do {
            let outcome = try SecretsInitializer(path: path).run()
            post(.health(.secretsWritten(path: outcome.path, generated: outcome.generated)))
        } catch {
            post(.health(.failed("init: \(error.message)")))
            return
        }
        await stopProbes()
        await start()
        await refreshEnvironment()
    }

    private func readEnvFile() -> [String: String] {
        let path = startup.paths.secretsFile(for: startup.settings)
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            post(.health(.failed("env file \(path): cannot read it")))
            return [:]
        }
        do {
            let file = try EnvFile.parse(text, path: path)
            return EnvLayers.dictionary(from: file, callerEnvironment: ProcessInfo.processInfo.environment)
        } catch {
            post(.health(.failed("env file \(error.message)")))
            return [:]
        }
    }
}

/// A probe set on its schedule, and the task that reads its results.
private struct RunningProbes {
    let set: ProbeSet
    let scheduler: ProbeScheduler
    let consumer: Task<Void, Never>
}
