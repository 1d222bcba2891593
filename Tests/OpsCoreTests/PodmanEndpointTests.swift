import OpsCore
import Testing

@Suite struct PodmanEndpointTests {
    @Test func theSettingsConnectionWinsOverPodmansVariables() {
        let endpoint = PodmanEndpoint(connection: "prod", environment: ["CONTAINER_HOST": "ssh://root@h/run/podman.sock"])
        #expect(endpoint == .connection("prod"))
        #expect(endpoint.isRemote && endpoint.name == "prod")
    }

    @Test func aConnectionNamedByTheEnvironmentComesBeforeAHost() {
        let endpoint = PodmanEndpoint(connection: "", environment: ["CONTAINER_CONNECTION": "staging", "CONTAINER_HOST": "ssh://h/s"])
        #expect(endpoint.name == "staging")
    }

    @Test func aHostIsNamedByItsAddressWithoutSocketPathOrPassword() {
        let endpoint = PodmanEndpoint(connection: "", environment: ["CONTAINER_HOST": "ssh://core:s3cret@10.0.0.5:2222/run/user/1000/podman/podman.sock"])
        #expect(endpoint == .host("ssh://core@10.0.0.5:2222"))
        #expect(!endpoint.name.contains("s3cret"))
        #expect(PodmanEndpoint(connection: "", environment: ["CONTAINER_HOST": "tcp://10.0.0.5:8888"]).name == "tcp://10.0.0.5:8888")
        #expect(PodmanEndpoint(connection: "", environment: ["CONTAINER_HOST": "unix:///run/podman/podman.sock"]).name == "unix:///run/podman/podman.sock")
    }

    @Test func nothingSetIsLocal() {
        let endpoint = PodmanEndpoint(connection: "", environment: ["CONTAINER_HOST": ""])
        #expect(endpoint == .local && !endpoint.isRemote && endpoint.name == "local")
    }
}
