import Foundation
import OpsCore

/// Checks the secrets env file before podman reads it: podman itself accepts malformed
/// lines silently, so they are caught here with their line number.
public struct SecretsFileCheck: Sendable {
    public var path: String
    /// True when the path is the default one rather than set in config.yaml: a missing default
    /// file only warns, a missing configured file is an error.
    public var isDefault: Bool

    public init(path: String, isDefault: Bool) {
        self.path = path
        self.isDefault = isDefault
    }

    /// The file to pass with `--env-file` (nil when there is none) and warnings to show.
    public func validate() throws(PodmanFailure) -> (envFile: String?, warnings: [String]) {
        let files = FileManager.default
        guard files.fileExists(atPath: path) else {
            if isDefault { return (nil, ["no secrets file at \(path): starting without secrets"]) }
            throw .envFileMissing(path: path)
        }
        var warnings: [String] = []
        if let mode = (try? files.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            warnings.append("\(path) is readable by others (mode \(String(mode & 0o777, radix: 8))): run chmod 600 \(path)")
        }
        guard let data = files.contents(atPath: path) else {
            throw .permissionDenied(detail: "cannot read \(path)")
        }
        do {
            _ = try EnvFile.parse(String(decoding: data, as: UTF8.self), path: path)
        } catch {
            throw .envFile(error)
        }
        return (path, warnings)
    }
}
