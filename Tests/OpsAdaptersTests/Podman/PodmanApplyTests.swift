import Foundation
import OpsAdapters
import OpsCore
import Testing

extension PodmanTests {
    /// Apply and the backup-state volume against real podman, with an OpenCode stand-in that
    /// carries the real backup scripts (Python, rclone to a local directory) and redis-server
    /// sidecars.
    @Suite struct ApplyAndBackupState {
        typealias Support = PodmanTestSupport

        /// The backup tools image plus the scripts, as the OpenCode image of the test's settings.
        static func backupStandin(_ settings: Settings) async throws {
            try await Support.ensureSidecarImage()
            let tools = try await ProcessRunner(environment: Support.environment)
                .run(Support.repoRoot + "/Tests/backup/tools-image.sh", ["localhost/opencode-ops-test/backup-tools:1"])
            try #require(tools.succeeded, "tools-image.sh: \(tools.stderrText.suffix(600))")
            let context = settings.buildContext + "/backup-standin"
            let files = FileManager.default
            try files.createDirectory(atPath: context + "/scripts", withIntermediateDirectories: true)
            for name in ["backup", "restore", "list-backups", "opsbackup"] {
                try files.copyItem(atPath: Support.repoRoot + "/scripts/" + name, toPath: context + "/scripts/" + name)
            }
            try """
            FROM localhost/opencode-ops-test/backup-tools:1
            COPY scripts /app/scripts
            RUN mkdir -p /root/.config/opencode /root/.local/share/opencode
            CMD ["sleep", "infinity"]
            """.write(toFile: context + "/Containerfile", atomically: true, encoding: .utf8)
            let built = try await Support.podman(["build", "-q", "--label", "\(Support.label)=\(Support.labelValue)", "-t", settings.image, context])
            try #require(built.succeeded, "stand-in build: \(built.stderrText.suffix(600))")
        }

        static func backupSettings(_ settings: Settings) -> Settings {
            var settings = settings
            settings.environment["BACKUP_REMOTE"] = "/remote"
            return settings
        }

        static func containerID(_ name: String) async throws -> String {
            try await Support.podman(["container", "inspect", "--format", "{{.Id}}", name]).stdoutText
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// A finished backup in the running OpenCode container; its id.
        static func backup(in container: String) async throws -> String {
            let result = try await Support.podman(["exec", container, "/app/scripts/backup", "--trigger", "manual", "--json"])
            try #require(result.succeeded, "backup: \(result.stderrText.suffix(800)) \(result.stdoutText.suffix(400))")
            let line = result.stdoutText.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
            let record = try JSONDecoder().decode(BackupRunRecord.self, from: Data(line.utf8))
            #expect(record.result == .succeeded)
            return record.id
        }

        @Test func applyRecreatesOnlyTheContainerWhoseVariableChangedAndKeepsItsData() async throws {
            try await Support.scenario("apply", port: 14320) { plain in
                let settings = Self.backupSettings(plain)
                try await Self.backupStandin(settings)
                let deployer = Support.deployer(settings)
                _ = try await deployer.up()
                let opencode = PodmanRole.opencode.containerName(pod: settings.pod)
                try await Support.podman(["exec", opencode, "sh", "-c", "echo kept > /root/.local/share/opencode/marker"])
                let applier = PodmanApplier(deployer: deployer, healthDeadline: 60)

                // Nothing changed: nothing to do, nothing touched.
                let before = try await Self.containerID(opencode)
                let (unchanged, bringUp) = try await applier.plan()
                #expect(unchanged.isEmpty, "\(unchanged.changes.map(\.line))")
                #expect(try await applier.apply(unchanged, bringUp: bringUp) { _ in } == .unchanged)
                #expect(try await Self.containerID(opencode) == before)

                // One secret changes: only OpenCode is recreated; the plan names it, not its value.
                let sidecars = try await [PodmanRole.falkordb, .valkey].asyncMap { try await Self.containerID($0.containerName(pod: settings.pod)) }
                try "# test secrets\nOPS_TEST_SECRET=rotated-value\nOPENCODE_SERVER_PASSWORD=test-server-pw\n".writeSecrets(to: settings.envFile)
                let (plan, planned) = try await applier.plan()
                #expect(plan.changes.map(\.role) == [.opencode])
                let reasons = plan.changes.first?.reasons.joined(separator: "; ") ?? ""
                #expect(reasons.contains("variables changed: OPS_TEST_SECRET"), "\(reasons)")
                #expect(!reasons.contains("rotated-value") && !reasons.contains("s3cret"))
                var lines: [String] = []
                let outcome = try await applier.apply(plan, bringUp: planned) { lines.append($0) }
                #expect(outcome == .applied(containers: [opencode]), "\(lines)")
                #expect(try await Self.containerID(opencode) != before)
                let after = try await [PodmanRole.falkordb, .valkey].asyncMap { try await Self.containerID($0.containerName(pod: settings.pod)) }
                #expect(after == sidecars, "the sidecars were not recreated")
                let env = try await Support.podman(["exec", opencode, "printenv", "OPS_TEST_SECRET"])
                #expect(env.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "rotated-value")
                let marker = try await Support.podman(["exec", opencode, "cat", "/root/.local/share/opencode/marker"])
                #expect(marker.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "kept", "the data volume survived")
                #expect(try await !Support.client.containerExists(ContainerReplacement.asideName(opencode)), "the old container is gone")
                #expect(try await applier.plan().0.isEmpty, "applied: nothing left to change")

                // A changed setting of a sidecar (its image) recreates that sidecar only.
                try await Support.podman(["tag", Support.sidecarImage, "localhost/\(Support.namePrefix)apply/valkey:2"])
                defer { Task { _ = try? await Support.podman(["rmi", "localhost/\(Support.namePrefix)apply/valkey:2"]) } }
                var moved = settings
                moved.valkeyImage = "localhost/\(Support.namePrefix)apply/valkey:2"
                let sidecarPlan = try await PodmanApplier(deployer: Support.deployer(moved), healthDeadline: 60).plan().0
                #expect(sidecarPlan.changes.map(\.role) == [.valkey], "\(sidecarPlan.changes.map(\.line))")
                #expect(sidecarPlan.changes.first?.reasons == ["settings changed (command, labels or options)"])
            }
        }

        @Test func aNewImageThatIsNotHealthyIsPutBackAsItWas() async throws {
            try await Support.scenario("applyback", port: 14322) { settings in
                var settings = settings
                _ = try await Support.buildAndUp(settings)
                let container = settings.pod + "-opencode"
                let before = try #require(try await Support.client.snapshotContainer(container))
                try await Support.podman(["exec", container, "sh", "-c", "echo kept > /root/.local/share/opencode/marker"])

                // A new image under the same name whose health check fails.
                settings.containerfile = "Containerfile.unhealthy"
                let built = try await Support.finalOutcome(of: Support.builder(settings).build(tag: settings.image))
                guard case .succeeded = built else { Issue.record("unhealthy build: \(built)"); return }
                let applier = PodmanApplier(deployer: Support.deployer(settings), healthDeadline: 30)
                let (plan, bringUp) = try await applier.plan()
                #expect(plan.changes.map(\.role) == [.opencode])
                #expect(plan.changes.first?.reasons.first?.hasPrefix("image \(settings.image) is now") == true, "\(plan.changes.map(\.line))")
                let outcome = try await applier.apply(plan, bringUp: bringUp) { _ in }
                guard case .rolledBack(let name, let reason, let applied) = outcome else { Issue.record("\(outcome)"); return }
                #expect(name == container && applied.isEmpty)
                #expect(reason.contains("not healthy"), "\(reason)")

                // The very same container runs again, healthy, with its data; nothing is left aside.
                let after = try #require(try await Support.client.snapshotContainer(container))
                #expect(after.id == before.id && after.state == .running)
                let health = await Support.deployer(settings).waitForHealth(container: container, deadline: 30)
                if case .healthy = health {} else { Issue.record("the old container is back but \(health)") }
                #expect(await Support.httpGet(port: 14322, path: "/config")?.0 == 200)
                let marker = try await Support.podman(["exec", container, "cat", "/root/.local/share/opencode/marker"])
                #expect(marker.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "kept")
                #expect(try await !Support.client.containerExists(ContainerReplacement.asideName(container)))
            }
        }

        @Test func backupHistoryOfAPodMadeBeforeTheVolumeSurvivesReplacementAndDownUp() async throws {
            try await Support.scenario("bkstate", port: 14321) { plain in
                let settings = Self.backupSettings(plain)
                try await Self.backupStandin(settings)
                let deployer = Support.deployer(settings)
                _ = try await deployer.up()
                let opencode = PodmanRole.opencode.containerName(pod: settings.pod)
                let volume = PodmanVolumes.backupState(pod: settings.pod)

                // A pod made before the volume existed: OpenCode without the backup-state mount.
                var (plan, _) = try deployer.plan()
                var old = try #require(plan.container(role: .opencode))
                old.mounts.removeAll { $0.path == PodmanVolumes.backupStatePath }
                try await Support.podman(["rm", "--force", "--time", "0", opencode])
                try await Support.client.createContainer(old, pod: settings.pod)
                try await Support.client.checked(["start", opencode])
                #expect(try await Support.client.containerConfig(opencode)?.mount(at: PodmanVolumes.backupStatePath) == nil)
                let id = try await Self.backup(in: opencode)

                // Apply sees the missing volume and gives it, carrying the record over.
                let applier = PodmanApplier(deployer: deployer, healthDeadline: 60)
                let applyPlan: PodmanApplyPlan
                (applyPlan, plan) = try await applier.plan()
                #expect(applyPlan.changes.first?.reasons.contains("volume \(volume) at \(PodmanVolumes.backupStatePath) added") == true,
                        "\(applyPlan.changes.map(\.line))")
                var lines: [String] = []
                _ = try await applier.apply(applyPlan, bringUp: plan) { lines.append($0) }
                #expect(lines.contains { $0.contains("backup history (1 run) copied") }, "\(lines)")
                let mounted = try await Support.client.containerConfig(opencode)?.mount(at: PodmanVolumes.backupStatePath)
                #expect(mounted?.volume == volume)
                let client = BackupClient(podman: Support.client)
                #expect(try await client.runs(container: opencode).map(\.id).contains(id), "listed after the replacement")

                // The rebuild path (replace) and down then up keep it too: it is on the volume now.
                try await deployer.replace(role: .opencode)
                #expect(try await client.runs(container: opencode).map(\.id).contains(id), "listed after a rebuild's replacement")
                let down = try await deployer.down()
                guard case .removed(_, _, let kept) = down else { Issue.record("\(down)"); return }
                #expect(kept.contains(volume))
                _ = try await deployer.up()
                #expect(try await client.runs(container: opencode).first { $0.id == id }?.result == .succeeded, "listed after down and up")
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
