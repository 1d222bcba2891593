import Foundation
import OpsAdapters
import OpsCore

/// The probes for a configured pod, built one way for `health` and the console. FalkorDB and
/// Valkey are checked with redis-cli inside the OpenCode container (their ports are not
/// published) unless `directDatabases` asks for TCP; checks that run a process in the container
/// get longer intervals, so probing at default intervals stays cheap.
public struct ProbeSet {
    public let probes: [any Probe]
    public let health: PodmanHealthProbe
    public let inspection: ContainerInspection

    /// Exec-based checks (redis-cli, the Graphiti helper) cost a process in the container each run.
    public static let execSchedule = ProbeSchedule(interval: 30, timeout: 5)

    public init(settings: Settings, environment: [String: String], client: PodmanClient,
         directDatabases: Bool = false, b2Authorize: Bool = true, graphiti: Bool = true) {
        let container = PodmanRole.opencode.containerName(pod: settings.pod)
        let inspection = ContainerInspection(client: client, container: container)
        let host = ["0.0.0.0", "::", ""].contains(settings.bindAddress) ? "127.0.0.1" : settings.bindAddress
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let openCodeURL = URL(string: "http://\(hostPart):\(settings.port)") ?? URL(string: "http://127.0.0.1:4096")!
        let exec = PodmanExec(podman: settings.podmanBinary, connection: settings.podmanConnection, container: container)
        let resp: any RESPTransport = directDatabases ? TCPRESPTransport() : RedisCLITransport(runner: exec.run)
        let respSchedule = directDatabases ? ProbeSchedule.standard : Self.execSchedule
        let health = PodmanHealthProbe(inspection: inspection)
        var probes: [any Probe] = [
            Self.openCode(url: openCodeURL, environment: environment, client: client, exec: exec),
            health,
            RESPProbe(service: .falkordb, environment: environment, schedule: respSchedule, transport: resp),
            RESPProbe(service: .valkey, environment: environment, schedule: respSchedule, transport: resp),
            DatadogAgentProbe(environment: environment),
            B2CredentialsProbe(environment: environment),
        ]
        if graphiti { probes.append(GraphitiMemoryProbe(runner: exec.run)) }
        probes.append(BackupFreshnessProbe(client: BackupClient(podman: client), container: container, environment: environment))
        if b2Authorize { probes.append(B2AuthorizeProbe(environment: environment)) }
        self.probes = probes
        self.health = health
        self.inspection = inspection
    }

}
