import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanTests {
    /// What the pod exposes, seen from a neighbouring container on the same podman network: on
    /// rootful podman the pod's address is reachable whatever bind_address says.
    @Suite struct Exposure {
        typealias Support = PodmanTestSupport
        static let falkordbPassword = "Falkor0pw0test0only0Zq"
        static let valkeyPassword = "Valkey0pw0test0only0Xq"
        static let serverPassword = "Server0pw0test0only0Yq"

        @Test func onlyTheOpenCodePortAnswersThePodAddressAndItAsksForAPassword() async throws {
            try await Support.scenario("exposure", port: 14320) { base in
                var settings = base
                settings.containerfile = "Containerfile.auth"
                try """
                OPENCODE_SERVER_PASSWORD=\(Self.serverPassword)
                FALKORDB_PASSWORD=\(Self.falkordbPassword)
                VALKEY_PASSWORD=\(Self.valkeyPassword)

                """.write(toFile: settings.envFile, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: settings.envFile)
                _ = try await Support.buildAndUp(settings)

                let infra = try await Support.podman(["pod", "inspect", settings.pod, "--format", "{{.InfraContainerID}}"])
                let address = try await Support.podman([
                    "container", "inspect", infra.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines),
                    "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                ]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(!address.isEmpty, "the pod has no address on the podman network")

                // A neighbour: its own container on the default network, bash's /dev/tcp as client.
                let probe = """
                for port in 6379 6380; do
                  if (exec 3<>/dev/tcp/\(address)/$port) 2>/dev/null; then echo "open $port"; else echo "closed $port"; fi
                done
                exec 3<>/dev/tcp/\(address)/4096 && printf 'GET /config HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3
                """
                let neighbour = try await Support.podman([
                    "run", "--stop-timeout", "1", "--rm", "--label", "\(Support.label)=\(Support.labelValue)", "--entrypoint", "bash",
                    Support.sidecarImage, "-c", probe,
                ])
                let seen = neighbour.stdoutText
                #expect(seen.contains("closed 6379"), "FalkorDB answers on the pod address: \(seen) \(neighbour.stderrText)")
                #expect(seen.contains("closed 6380"), "Valkey answers on the pod address: \(seen)")
                #expect(seen.contains("401"), "OpenCode did not ask for a password: \(seen) \(neighbour.stderrText)")

                // Inside the pod (shared localhost) the sidecars want their passwords...
                for (container, port, password) in [("falkordb", 6379, Self.falkordbPassword), ("valkey", 6380, Self.valkeyPassword)] {
                    let name = "\(settings.pod)-\(container)"
                    let bare = try await Support.podman(["exec", name, "redis-cli", "-p", "\(port)", "ping"])
                    #expect(bare.stdoutText.contains("NOAUTH"), "\(name) answered without a password: \(bare.stdoutText)")
                    var environment = Support.environment
                    environment["REDISCLI_AUTH"] = password
                    let authed = try await ProcessRunner(environment: environment).run(
                        "podman", ["exec", "--env", "REDISCLI_AUTH", name, "redis-cli", "-p", "\(port)", "ping"]
                    )
                    #expect(authed.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "PONG", "\(name): \(authed.stderrText)")
                    // ...which are on no command line: not podman's, not the server's.
                    let create = try await Support.podman(["container", "inspect", name, "--format", "{{.Config.CreateCommand}}"])
                    #expect(!create.stdoutText.contains(password))
                    // redis-server rewrites its process title to the address it listens on.
                    let cmdline = try await Support.podman(["exec", name, "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline"])
                    #expect(cmdline.stdoutText.contains("127.0.0.1:\(port)"), "\(cmdline.stdoutText)")
                    #expect(!cmdline.stdoutText.contains(password))
                    // The other database's password stays out of this one's environment.
                    let other = container == "falkordb" ? Self.valkeyPassword : Self.falkordbPassword
                    let env = try await Support.podman(["exec", name, "env"])
                    #expect(!env.stdoutText.contains(other))
                    #expect(!env.stdoutText.contains(Self.serverPassword))
                }
                // The published port on loopback asks too, and the health check passes with the password.
                let published = try await ProcessRunner().run("timeout", [
                    "20", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/14320 && printf 'GET /config HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3",
                ])
                #expect(published.stdoutText.contains("401"), "\(published.stdoutText) \(published.stderrText)")
                let health = await Support.deployer(settings).waitForHealth(container: "\(settings.pod)-opencode")
                guard case .healthy = health else {
                    Issue.record("OpenCode not healthy with its password: \(health)")
                    return
                }
            }
        }

        @Test func upRefusesAnOpenServerWithoutConsent() async throws {
            try await Support.scenario("open", port: 14321) { base in
                var settings = base
                try "OPS_TEST_SECRET=s3cret\n".writeSecrets(to: settings.envFile)
                do {
                    _ = try await Support.deployer(settings).up()
                    Issue.record("up started OpenCode without a password")
                } catch {
                    guard case PodmanFailure.insecure(let reason)? = error as? PodmanFailure else { throw error }
                    #expect(reason.contains("OPENCODE_SERVER_PASSWORD"))
                }
                #expect(try await Support.client.inspectPod(settings.pod) == nil, "a refused up left a pod behind")

                settings.allowUnauthenticated = true
                settings.bindAddress = "0.0.0.0"
                await #expect(throws: PodmanFailure.self) { try await Support.deployer(settings).up() }

                settings.bindAddress = "127.0.0.1"
                let started = try await Support.buildAndUp(settings)
                #expect(started.warnings.contains { $0.contains("without a password") }, "\(started.warnings)")
            }
        }
    }
}
