import Foundation
import OpsAdapters
import OpsCore

/// The probes for a configured pod, built one way for `health` and the console. FalkorDB and
/// Valkey are checked with redis-cli inside the OpenCode container (their ports are not
/// published) unless `directDatabases` asks for TCP. Those checks, the backup history, the
/// Graphiti helper and, on a remote podman, OpenCode itself go through one `ContainerChannel`
/// (one `podman exec` kept open) instead of an exec each; the helper, seconds of Python, runs
/// in its background lane so it never holds the PINGs up. Checks that run a process in the
/// container get longer intervals, so probing at default intervals stays cheap. `close()` ends
/// the channel.
public struct ProbeSet: Sendable {
    public let probes: [any Probe]
    public let health: PodmanHealthProbe
    public let inspection: ContainerInspection
    public let channels: [ContainerChannel]

    /// Checks that run a process in the container (redis-cli, the helpers) cost a fork there each run.
    public static let execSchedule = ProbeSchedule(interval: 30, timeout: 5)

    public init(settings: Settings, environment: [String: String], client: PodmanClient,
         directDatabases: Bool = false, b2Authorize: Bool = true, graphiti: Bool = true) {
        let container = PodmanRole.opencode.containerName(pod: settings.pod)
        let inspection = ContainerInspection(client: client, container: container)
        let host = ["0.0.0.0", "::", ""].contains(settings.bindAddress) ? "127.0.0.1" : settings.bindAddress
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let openCodeURL = URL(string: "http://\(hostPart):\(settings.port)") ?? URL(string: "http://127.0.0.1:4096")!
        let exec = PodmanExec(podman: settings.podmanBinary, connection: settings.podmanConnection, container: container)
        let checks = ContainerChannel(exec: exec)
        let resp: any RESPTransport = directDatabases ? TCPRESPTransport() : RedisCLITransport(runner: checks.run)
        let respSchedule = directDatabases ? ProbeSchedule.standard : Self.execSchedule
        let health = PodmanHealthProbe(inspection: inspection)
        var probes: [any Probe] = [
            Self.openCode(url: openCodeURL, environment: environment, client: client, runner: checks.run),
            health,
            RESPProbe(service: .falkordb, environment: environment, schedule: respSchedule, transport: resp),
            RESPProbe(service: .valkey, environment: environment, schedule: respSchedule, transport: resp),
            DatadogAgentProbe(environment: environment),
            B2CredentialsProbe(environment: environment),
        ]
        if graphiti { probes.append(GraphitiMemoryProbe(runner: checks.runner(background: true))) }
        probes.append(BackupFreshnessProbe(client: BackupClient(podman: client, runner: checks.run), container: container, environment: environment))
        if b2Authorize { probes.append(B2AuthorizeProbe(environment: environment)) }
        self.probes = probes
        self.health = health
        self.inspection = inspection
        channels = [checks]
    }

    /// Stops the channel's process; the probes fail from then on.
    public func close() async {
        for channel in channels { await channel.close() }
    }

}
