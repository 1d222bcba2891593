import Foundation
@testable import OpsAdapters
import OpsCore
import Testing

/// The console's backup client against a real container running the scripts, real
/// redis-server sidecars and rclone to a local directory: trigger, follow, busy, history,
/// listing, log, restore plan, restore and the RDB loaded back into a stopped and restarted sidecar.
@Suite(.serialized) struct BackupClientTests {
    @Test(.enabled(if: BackupTestPod.shouldRun), .timeLimit(.minutes(5)))
    func backupFollowRestoreAndReloadTheSidecars() async throws {
        #expect(BackupTestPod.podmanInstalled, "podman is required (OPS_REQUIRE_TOOLS=1)")
        await BackupTestPod.removeLeftovers()
        let pod = try await BackupTestPod.start(name: "ocbk-client-\(UUID().uuidString.prefix(6).lowercased())", dataMegabytes: 20, bandwidthLimit: "10M")
        defer { Task { await pod.remove() } }
        let client = BackupClient(podman: BackupTestPod.podman)
        let target = pod.target
        _ = try await pod.redis(6379, ["MSET"] + (0..<200).flatMap { ["graph:\($0)", "node-\($0)"] })
        _ = try await pod.redis(6380, ["SET", "cache", "warm"])

        #expect(try await client.schedule(container: target.container) == "0 2 * * *")
        #expect(try await client.runs(container: target.container).isEmpty)

        let started = Date()
        guard case .started(let id) = try await client.trigger(container: target.container) else {
            Issue.record("trigger did not start")
            return
        }
        // A second trigger while the first holds the lock names the running one.
        let second = try await client.trigger(container: target.container)
        if case .busy(let running, let message) = second {
            #expect(running == id)
            #expect(message.contains(id))
        } else {
            Issue.record("second trigger: \(second)")
        }
        var records: [BackupRunRecord] = []
        var firstProgress: TimeInterval?
        for try await record in client.follow(container: target.container, runID: id) {
            if firstProgress == nil { firstProgress = Date().timeIntervalSince(started) }
            records.append(record)
        }
        let final = try #require(records.last)
        #expect(final.result == .succeeded, "\(final.error ?? "")")
        #expect(final.verified)
        #expect(records.contains { $0.result == .running }, "progress was streamed")
        // Timing is reported, not asserted: on a busy machine two podman execs alone take seconds.
        print("backup \(id): \(records.count) records, first after \(String(format: "%.2f", firstProgress ?? -1)) s, total \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

        let runs = try await client.runs(container: target.container)
        #expect(runs.first?.id == id && runs.first?.result == .succeeded)
        let listing = try await client.listing(container: target.container)
        #expect(listing.backups.first { $0.id == id }?.state == "verified")
        #expect(listing.remote.contains("/remote"))
        let rows = BackupHistoryRow.merge(runs: runs, listing: listing.backups)
        #expect(rows.first?.status == .verified && rows.first?.isRestorable == true)
        let log = try await client.log(container: target.container, runID: id)
        #expect(log.contains { $0.contains("phase verify") })

        // Flush, then restore: the plan names what is overwritten, the RDB goes back into the sidecar.
        _ = try await pod.redis(6379, ["FLUSHALL"])
        #expect(try await pod.redis(6379, ["DBSIZE"]) == "0")
        let plan = try await client.plan(container: target.container, backupID: id)
        #expect(plan.overwrite.contains { $0.part == "data" && $0.path.hasSuffix("opencode") })
        #expect(plan.sidecars.map(\.service).sorted() == ["falkordb", "valkey"])
        var restoreRecords: [BackupRunRecord] = []
        for try await record in client.restore(container: target.container, backupID: id) { restoreRecords.append(record) }
        let restored = try #require(restoreRecords.last)
        #expect(restored.result == .succeeded, "\(restored.error ?? "")")
        #expect(restored.pendingActions.map(\.service).sorted() == ["falkordb", "valkey"])
        let loads = await BackupSidecarLoader(podman: BackupTestPod.podman).load(restored.pendingActions, target: target)
        #expect(loads.allSatisfy { $0.succeeded }, "\(loads)")
        #expect(try await pod.redis(6379, ["DBSIZE"]) == "200")
        #expect(try await pod.redis(6379, ["GET", "graph:42"]) == "node-42")
        #expect(try await pod.redis(6380, ["GET", "cache"]) == "warm")
        // The loaded RDB files are gone from the OpenCode container; what the restore replaced
        // stays for `restore --undo`.
        let leftover = try await BackupTestPod.run(["exec", target.container, "find", "/var/lib/opencode-backup/restore", "-name", "*.rdb"], check: false)
        #expect(leftover.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let kept = try await BackupTestPod.run(["exec", target.container, "ls", "/var/lib/opencode-backup/restore/\(restored.id)"], check: false)
        #expect(kept.stdoutText.contains("previous"))
        await pod.remove()
    }

    @Test(.enabled(if: BackupTestPod.shouldRun), .timeLimit(.minutes(3)))
    func aCorruptRDBIsRefusedAndTheSidecarLeftRunning() async throws {
        #expect(BackupTestPod.podmanInstalled, "podman is required (OPS_REQUIRE_TOOLS=1)")
        let pod = try await BackupTestPod.start(name: "ocbk-corrupt-\(UUID().uuidString.prefix(6).lowercased())", schedule: nil)
        defer { Task { await pod.remove() } }
        _ = try await pod.redis(6379, ["SET", "keep", "me"])
        try await BackupTestPod.run(["exec", pod.target.container, "sh", "-c", "mkdir -p /var/lib/opencode-backup/restore/restore-x && echo junk > /var/lib/opencode-backup/restore/restore-x/falkordb.rdb"])
        let action = BackupPendingAction(service: "falkordb", rdb: "/var/lib/opencode-backup/restore/restore-x/falkordb.rdb",
                                         sha256: String(repeating: "0", count: 64), port: 6379)
        let load = await BackupSidecarLoader(podman: BackupTestPod.podman).load(action, target: pod.target)
        #expect(!load.succeeded)
        #expect(load.detail.contains("sha256"))
        #expect(try await pod.redis(6379, ["GET", "keep"]) == "me", "the sidecar was not stopped")
        #expect(try await BackupClient(podman: BackupTestPod.podman).schedule(container: pod.target.container) == nil)
        await pod.remove()
    }

    @Test(.enabled(if: BackupTestPod.shouldRun), .timeLimit(.minutes(3)))
    func aRunWhoseContainerIsKilledEndsInLostContact() async throws {
        #expect(BackupTestPod.podmanInstalled, "podman is required (OPS_REQUIRE_TOOLS=1)")
        let pod = try await BackupTestPod.start(name: "ocbk-lost-\(UUID().uuidString.prefix(6).lowercased())", schedule: nil,
                                                dataMegabytes: 20, bandwidthLimit: "1M")
        defer { Task { await pod.remove() } }
        let client = BackupClient(podman: BackupTestPod.podman)
        guard case .started(let id) = try await client.trigger(container: pod.target.container) else {
            Issue.record("trigger did not start")
            return
        }
        var killed = false
        var failure: BackupClientError?
        do {
            for try await record in client.follow(container: pod.target.container, runID: id) where !killed && record.phase == "upload" {
                killed = true
                try await BackupTestPod.run(["kill", pod.target.container])
            }
        } catch let error as BackupClientError {
            failure = error
        }
        #expect(killed)
        #expect(failure?.message.contains("lost contact with the run \(id)") == true, "\(String(describing: failure))")
        await pod.remove()
    }

    @Test(.enabled(if: BackupTestPod.shouldRun), .timeLimit(.minutes(3)))
    func anRDBTheServerRefusesPutsThePreviousDatasetBack() async throws {
        #expect(BackupTestPod.podmanInstalled, "podman is required (OPS_REQUIRE_TOOLS=1)")
        let pod = try await BackupTestPod.start(name: "ocbk-reload-\(UUID().uuidString.prefix(6).lowercased())", schedule: nil)
        defer { Task { await pod.remove() } }
        _ = try await pod.redis(6379, ["SET", "keep", "me"])
        // Passes the digest check (none given) but is no RDB a server can load.
        try await BackupTestPod.run(["exec", pod.target.container, "sh", "-c", "mkdir -p /var/lib/opencode-backup/restore/restore-x && printf 'REDIS0009 not really' > /var/lib/opencode-backup/restore/restore-x/falkordb.rdb"])
        let action = BackupPendingAction(service: "falkordb", rdb: "/var/lib/opencode-backup/restore/restore-x/falkordb.rdb", sha256: nil, port: 6379)
        let load = await BackupSidecarLoader(podman: BackupTestPod.podman).load(action, target: pod.target)
        #expect(!load.succeeded)
        #expect(load.detail.contains("previous dataset was put back"), "\(load.detail)")
        #expect(try await pod.redis(6379, ["GET", "keep"]) == "me")
        await pod.remove()
    }

    @Test(.enabled(if: BackupTestPod.shouldRun), .timeLimit(.minutes(3)))
    func theSidecarPasswordReachesTheAOFCheckAndPing() async throws {
        #expect(BackupTestPod.podmanInstalled, "podman is required (OPS_REQUIRE_TOOLS=1)")
        let pod = try await BackupTestPod.start(name: "ocbk-auth-\(UUID().uuidString.prefix(6).lowercased())", schedule: nil,
                                                password: "test-only-\(UUID().uuidString.prefix(8))", appendonly: true)
        defer { Task { await pod.remove() } }
        _ = try await pod.redis(6379, ["SET", "graph", "g1"])
        let rdb = "/var/lib/opencode-backup/restore/restore-y/falkordb.rdb"
        try await BackupTestPod.run(["exec"] + pod.auth + [pod.target.container, "sh", "-c", "mkdir -p ${0%/*} && redis-cli -p 6379 --rdb $0", rdb])
        let action = BackupPendingAction(service: "falkordb", rdb: rdb, sha256: nil, port: 6379)
        let loader = BackupSidecarLoader(podman: BackupTestPod.podman)
        // The AOF guard reads the protected server's settings, so it refuses.
        let refused = await loader.load(action, target: pod.target)
        #expect(!refused.succeeded && refused.detail.contains("appendonly yes"), "\(refused.detail)")
        _ = try await pod.redis(6379, ["CONFIG", "SET", "appendonly", "no"])
        _ = try await pod.redis(6379, ["FLUSHALL"])
        // PING after the start authenticates too, so the load is seen to succeed.
        let loaded = await loader.load(action, target: pod.target)
        #expect(loaded.succeeded, "\(loaded.detail)")
        #expect(try await pod.redis(6379, ["GET", "graph"]) == "g1")
        await pod.remove()
    }
}

@Suite struct BackupDigestTests {
    @Test func sha256OfKnownInputs() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        ]
        for (text, digest) in cases {
            let path = directory.appendingPathComponent("f").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try await BackupSidecarLoader.sha256(ofFile: path, runner: ProcessRunner()) == digest)
        }
    }

    @Test func aMissingFileIsAnErrorNotADigest() async throws {
        await #expect(throws: BackupClientError.self) {
            _ = try await BackupSidecarLoader.sha256(ofFile: "/nonexistent/\(UUID().uuidString)", runner: ProcessRunner())
        }
    }
}

/// The one-off container that lists the remote while the pod is down gets what the pod would:
/// the secrets file and the config environment as env files, never a value on the command line.
@Suite struct BackupOfflineListerArgumentsTests {
    @Test func theImageComesAfterDashDashAndSecretsOnlyAsFiles() {
        var settings = Settings()
        settings.pod = "ops"
        settings.image = "localhost/ops/opencode:latest"
        settings.environment = ["BACKUP_REMOTE": "b2:bucket/ops", "API_TOKEN": "s3cret-value"]
        let spec = BringUpPlanner.plan(settings: settings, envFile: "/home/op/.config/opencode-ops/secrets.env").container(role: .opencode)!
        let arguments = BackupOfflineLister.arguments(
            spec: spec, pod: "ops", labels: ["test": "1"], environmentFile: "/tmp/x/config.env",
            stateVolume: "ops-backup-state", script: "/app/scripts/list-backups"
        )
        #expect(Array(arguments.prefix(2)) == ["run", "--rm"])
        #expect(Array(arguments.suffix(3)) == ["--", "localhost/ops/opencode:latest", "--json"])
        #expect(arguments.contains("/home/op/.config/opencode-ops/secrets.env") && arguments.contains("/tmp/x/config.env"))
        #expect(arguments.contains("ops-backup-state:\(PodmanVolumes.backupStatePath):ro"), "the state volume read-only")
        #expect(!arguments.joined(separator: " ").contains("s3cret-value"))
        #expect(!arguments.joined(separator: " ").contains("b2:bucket"))
        let entry = arguments.firstIndex(of: "--entrypoint")
        #expect(entry.map { arguments[$0 + 1] } == "/app/scripts/list-backups")
    }

    @Test func theCacheIsPrivateAndReadsBackWhatWasSaved() throws {
        let directory = NSTemporaryDirectory() + "listing-cache-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = BackupListingCache(stateDirectory: directory, pod: "ops")
        #expect(cache.load() == nil)
        let saved = Date(timeIntervalSince1970: 1_795_897_535)
        cache.save(#"{"remote":"/srv/backups","backups":[{"id":"20261128T202535Z-e7d1","bytes":40960,"state":"verified"}]}"#, at: saved)
        let loaded = try #require(cache.load())
        #expect(loaded.savedAt == saved && loaded.listing.backups.map(\.id) == ["20261128T202535Z-e7d1"])
        let mode = try FileManager.default.attributesOfItem(atPath: cache.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // A damaged file reads as no cache, not as a crash.
        try Data("{".utf8).write(to: URL(fileURLWithPath: cache.path))
        #expect(cache.load() == nil)
    }
}
