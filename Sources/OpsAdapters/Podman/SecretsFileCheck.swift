import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks the secrets env file before podman reads it: podman itself accepts malformed
/// lines silently, so they are caught here with their line number. The file itself is checked
/// where its bytes live: a link is followed, and the target must belong to this user and be
/// closed to group and others, or `up` refuses.
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
        guard FileManager.default.fileExists(atPath: path) else {
            if isDefault { return (nil, ["no secrets file at \(path): starting without secrets"]) }
            throw .envFileMissing(path: path)
        }
        if let problem = accessProblem() { throw .envFileUnsafe(path: path, reason: problem) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .permissionDenied(detail: "cannot read \(path)")
        }
        do {
            _ = try EnvFile.parse(String(decoding: data, as: UTF8.self), path: path)
        } catch {
            throw .envFile(error)
        }
        return (path, [])
    }

    /// What is wrong with the file's owner or mode, with the command that fixes it; nil when
    /// nothing is (or the file does not exist). `stat`, not `lstat`: a link's own mode is
    /// always 777 and says nothing about who can read the secrets.
    public func accessProblem() -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let target = Self.resolved(path)
        let shown = target == path ? path : "\(path) (a link to \(target))"
        guard info.st_mode & S_IFMT == S_IFREG else { return "\(shown) is not a regular file" }
        let user = geteuid()
        if info.st_uid != user {
            return "\(shown) belongs to uid \(info.st_uid), not to you (uid \(user)): anyone who owns it can change what the pod runs with; "
                + "run chown \(user) \(target) && chmod 600 \(target), or use a file of your own"
        }
        let mode = info.st_mode & 0o777
        if mode & 0o077 != 0 {
            return "\(shown) is open to group or others (mode \(String(mode, radix: 8))): run chmod 600 \(path)"
        }
        return nil
    }

    /// The names the file sets, never their values; empty when it is missing or malformed.
    public func names() -> [String] {
        guard let data = FileManager.default.contents(atPath: path),
              let file = try? EnvFile.parse(String(decoding: data, as: UTF8.self), path: path) else { return [] }
        return file.keys
    }

    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}
