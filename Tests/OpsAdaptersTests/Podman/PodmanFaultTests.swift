import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanTests {
    /// Bad input and faults: podman missing, port taken, malformed env file, a hand-made pod.
    @Suite struct Faults {
        typealias Support = PodmanTestSupport

        @Test func missingPodmanBinaryGivesAClearMessage() async throws {
            var settings = Settings()
            settings.podmanBinary = "/nonexistent/bin/podman"
            let client = PodmanClient(settings: settings, environment: Support.environment)
            await #expect(throws: PodmanFailure.notInstalled(binary: "/nonexistent/bin/podman")) {
                try await client.version()
            }
            let deployer = PodmanDeployer(client: client, settings: settings, secrets: SecretsFileCheck(path: "/nonexistent/secrets.env", isDefault: true))
            do {
                _ = try await deployer.up()
                Issue.record("up succeeded without podman")
            } catch {
                #expect(error.message.hasPrefix("podman not found (/nonexistent/bin/podman)"))
            }
            // Not on PATH at all.
            let bare = PodmanClient(binary: "podman-not-installed-here", runner: ProcessRunner(environment: ["PATH": "/nonexistent"]))
            await #expect(throws: PodmanFailure.notInstalled(binary: "podman-not-installed-here")) { try await bare.version() }
        }

        @Test func installedPodmanIsNewEnough() async throws {
            let version = try await Support.client.version()
            #expect(version >= PodmanClient.minimumVersion)
        }

        @Test func portTakenIsRefusedNamingTheProgram() async throws {
            try await Support.scenario("port", port: 14390) { settings in
                let runner = ProcessRunner(environment: Support.environment)
                let server = try runner.start("python3", ["-m", "http.server", "14390", "--bind", "127.0.0.1"])
                defer { server.terminate(grace: 1) }
                var status = PortProbe.Status.free
                for _ in 0..<1200 {  // up to two minutes for python3 to listen
                    status = PortProbe.status(address: "127.0.0.1", port: 14390)
                    if status != .free { break }
                    try await Task.sleep(nanoseconds: 100_000_000)
                }
                #expect(status == .inUse(owner: "python3 (pid \(server.processID))"))
                do {
                    _ = try await Support.buildAndUp(settings)
                    Issue.record("up succeeded on a taken port")
                } catch let failure as PodmanFailure {
                    #expect(failure == .portInUse(address: "127.0.0.1", port: 14390, owner: "python3 (pid \(server.processID))"))
                    #expect(failure.message.contains("127.0.0.1:14390 is already in use by python3"))
                }
                #expect(try await Support.client.inspectPod(settings.pod) == nil)
                #expect(PortProbe.status(address: "127.0.0.1", port: 14391) == .free)
            }
        }

        @Test func malformedEnvFileNamesTheLine() async throws {
            try await Support.scenario("envfile", port: 14392) { settings in
                try "# secrets\nGOOD=1\n\nexport BAD=2\nALSO=3\n".write(toFile: settings.envFile, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: settings.envFile)
                do {
                    _ = try await Support.deployer(settings).up()
                    Issue.record("up accepted a malformed env file")
                } catch let failure as PodmanFailure {
                    guard case .envFile(let error) = failure else {
                        Issue.record("expected an env file error, got \(failure)")
                        return
                    }
                    #expect(error.line == 4)
                    #expect(failure.message.hasPrefix("\(settings.envFile):4: "))
                    #expect(failure.message.contains("export"))
                }
                #expect(try await Support.client.inspectPod(settings.pod) == nil)
            }
        }

        @Test func envFileChecksModeAndPresence() throws {
            let directory = NSTemporaryDirectory() + "ooptest-secrets-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/secrets.env"
            try "KEY=value\n".write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            let open = PodmanFailure.envFileUnsafe(path: path, reason: "\(path) is open to group or others (mode 644): run chmod 600 \(path)")
            #expect(throws: open) { try SecretsFileCheck(path: path, isDefault: false).validate() }
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
            #expect(throws: PodmanFailure.self) { try SecretsFileCheck(path: path, isDefault: false).validate() }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            let checked = try SecretsFileCheck(path: path, isDefault: false).validate()
            #expect(checked.envFile == path && checked.warnings.isEmpty)

            let missing = directory + "/absent.env"
            #expect(throws: PodmanFailure.envFileMissing(path: missing)) { try SecretsFileCheck(path: missing, isDefault: false).validate() }
            let optional = try SecretsFileCheck(path: missing, isDefault: true).validate()
            #expect(optional.envFile == nil)
            #expect(optional.warnings.first?.contains("starting without secrets") == true)
        }

        /// A link's own mode is 777 whatever its target's: the check must look through it, at
        /// the target's mode and owner.
        @Test func envFileCheckFollowsLinksAndChecksTheOwner() throws {
            let directory = NSTemporaryDirectory() + "ooptest-secrets-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let target = directory + "/real.env"
            let link = directory + "/secrets.env"
            try "KEY=value\n".write(toFile: target, atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)

            try FileManager.default.setAttributes([.posixPermissions: 0o604], ofItemAtPath: target)
            #expect(throws: PodmanFailure.envFileUnsafe(
                path: link, reason: "\(link) (a link to \(target)) is open to group or others (mode 604): run chmod 600 \(link)"
            )) { try SecretsFileCheck(path: link, isDefault: false).validate() }

            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            #expect(try SecretsFileCheck(path: link, isDefault: false).validate().envFile == link)

            // Owned by another user: refused even at 0600, since they could rewrite it.
            #expect(chown(target, 65534, 65534) == 0)
            do {
                _ = try SecretsFileCheck(path: link, isDefault: false).validate()
                Issue.record("a secrets file owned by uid 65534 was accepted")
            } catch {
                #expect(error.message.contains("belongs to uid 65534"), "\(error.message)")
            }
        }

        @Test func handMadePodOfTheSameNameIsExplainedAndKept() async throws {
            try await Support.scenario("handmade", port: 14393) { settings in
                try await Support.ensureSidecarImage()
                let label = "\(Support.label)=\(Support.labelValue)"
                #expect(try await Support.podman(["pod", "create", "--name", settings.pod, "--label", label]).succeeded)
                let created = try await Support.podman([
                    "create", "--pod", settings.pod, "--name", settings.pod + "-mine", "--label", label, Support.sidecarImage,
                ])
                #expect(created.succeeded, "\(created.stderrText)")

                let expected = PodmanFailure.foreignPod(name: settings.pod, containers: [settings.pod + "-mine"])
                await #expect(throws: expected) { try await Support.deployer(settings).up() }
                await #expect(throws: expected) { try await Support.deployer(settings).down() }
                #expect(expected.message.contains("did not create"))
                #expect(expected.message.contains(settings.pod + "-mine"))

                let pod = try #require(try await Support.client.inspectPod(settings.pod))
                #expect(!pod.isManaged)
                #expect(pod.workloadContainers.map(\.name) == [settings.pod + "-mine"])
            }
        }

        @Test func missingOpenCodeImageSaysToBuildIt() async throws {
            try await Support.scenario("noimage", port: 14394) { settings in
                try await Support.ensureSidecarImage()
                await #expect(throws: PodmanFailure.imageMissing(image: settings.image, hint: PodmanDeployer.buildHint)) {
                    try await Support.deployer(settings).up()
                }
                #expect(try await Support.client.inspectPod(settings.pod) == nil)
            }
        }
    }
}
