import Foundation
import OpsCore

/// Lists the remote while the pod is down: a one-off container (`podman run --rm`) of the
/// OpenCode image runs `list-backups --json` with the secrets file and the config environment
/// the pod would get (as env files: no value on a command line), and the backup state volume
/// mounted read-only so the listing still names local runs.
public struct BackupOfflineLister: Sendable {
    public var deployer: PodmanDeployer
    public var scriptsDirectory: String

    public init(deployer: PodmanDeployer, scriptsDirectory: String = "/app/scripts") {
        self.deployer = deployer
        self.scriptsDirectory = scriptsDirectory
    }

    /// The listing and the script's JSON line as printed (what the cache keeps).
    public func listing() async throws(BackupClientError) -> (BackupListing, String) {
        let client = deployer.client
        let settings = deployer.settings
        let spec: PodmanContainerSpec
        let environmentFile: String?
        do {
            let (envFile, _) = try deployer.secrets.validate()
            guard let opencode = BringUpPlanner.plan(settings: settings, envFile: envFile, options: deployer.options).container(role: .opencode) else {
                throw BackupClientError(message: "no OpenCode container in the plan")
            }
            spec = opencode
            guard try await client.imageExists(spec.image) else {
                throw BackupClientError(message: "image \(spec.image) is not built, so no one-off container can list the remote (\(PodmanDeployer.buildHint))")
            }
            environmentFile = try ConfigEnvironmentFile.write(spec.environment)
        } catch let error as BackupClientError {
            throw error
        } catch let error as PodmanFailure {
            throw BackupClientError(message: error.message)
        } catch {
            throw BackupClientError(message: "\(error)")
        }
        defer { ConfigEnvironmentFile.remove(environmentFile) }
        let stateVolume = PodmanVolumes.backupState(pod: settings.pod)
        let hasState = (try? await client.volumeExists(stateVolume)) ?? false
        let arguments = Self.arguments(
            spec: spec, pod: settings.pod, labels: deployer.options.extraLabels, environmentFile: environmentFile,
            stateVolume: hasState ? stateVolume : nil, script: "\(scriptsDirectory)/list-backups"
        )
        let result: ProcessResult
        do {
            result = try await client.run(arguments)
        } catch {
            throw BackupClientError(error)
        }
        guard result.succeeded else { throw BackupClient.failure("list-backups in a one-off container of \(spec.image)", result) }
        let line = result.stdoutText.split(separator: "\n").last(where: { $0.hasPrefix("{") }).map(String.init) ?? ""
        return (try BackupClient.decode(BackupListing.self, from: Data(line.utf8), what: "list-backups --json"), line)
    }

    /// `podman run --rm` of the OpenCode image with `script` as its entrypoint.
    static func arguments(
        spec: PodmanContainerSpec, pod: String, labels: [String: String], environmentFile: String?, stateVolume: String?, script: String
    ) -> [String] {
        var arguments = ["run", "--rm", "--entrypoint", script, "--label", "\(PodmanLabels.pod)=\(pod)"]
        for key in labels.keys.sorted() { arguments += ["--label", "\(key)=\(labels[key] ?? "")"] }
        if let envFile = spec.envFile { arguments += ["--env-file", envFile] }
        if let environmentFile { arguments += ["--env-file", environmentFile] }
        if let stateVolume { arguments += ["--volume", "\(stateVolume):\(PodmanVolumes.backupStatePath):ro"] }
        return arguments + ["--", spec.image, "--json"]
    }
}

/// The last remote listing that succeeded, kept privately in the console's state directory so
/// the Backups panel has something to show (marked with its age) while the pod is down.
public struct BackupListingCache: Sendable {
    public let path: String

    public init(stateDirectory: String, pod: String) {
        path = (stateDirectory as NSString).appendingPathComponent("backup-listing-\(pod).json")
    }

    struct Stored: Decodable {
        var savedAt: Date
        var listing: BackupListing

        enum CodingKeys: String, CodingKey { case savedAt = "saved_at", listing }
    }

    /// `line` is the script's JSON object as printed; it is stored as is, inside the record.
    public func save(_ line: String, at date: Date) {
        let stamp = ISO8601DateFormatter().string(from: date)
        let text = #"{"saved_at":"\#(stamp)","listing":\#(line)}"# + "\n"
        try? PrivateFiles.makeDirectory((path as NSString).deletingLastPathComponent)
        try? PrivateFiles.replace(path, with: Data(text.utf8))
    }

    /// The cached listing and when it was saved; nil when there is none or it cannot be read.
    public func load() -> (listing: BackupListing, savedAt: Date)? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let stored = try? decoder.decode(Stored.self, from: data) else { return nil }
        return (stored.listing, stored.savedAt)
    }
}
