import Foundation

/// Every way a podman operation can fail, each with a message fit to show as is.
public enum PodmanFailure: Error, Equatable, Sendable {
    case notInstalled(binary: String)
    case tooOld(version: String, minimum: String)
    case permissionDenied(detail: String)
    case commandFailed(command: String, exitCode: Int32, detail: String)
    case unexpectedOutput(command: String, detail: String)
    case portInUse(address: String, port: Int, owner: String?)
    case imageMissing(image: String, hint: String)
    case envFile(EnvFileError)
    case envFileMissing(path: String)
    /// The secrets file is readable or owned by someone else: `reason` says how to fix it.
    case envFileUnsafe(path: String, reason: String)
    /// The config's `environment:` cannot be handed to podman (`detail` names the key).
    case configEnvironment(detail: String)
    /// A config value cannot be passed to podman as it is (an image reference that is no
    /// reference, say): `field` is its config key.
    case invalidSetting(field: String, reason: String)
    /// A pod with our name that `up` did not make: listed, explained, never removed.
    case foreignPod(name: String, containers: [String])
    case containerfileMissing(path: String)
    case noPreviousImage(tag: String)
    /// The plan would expose a service: no server password without consent, or a database
    /// password that cannot be handed over safely.
    case insecure(reason: String)

    public var message: String {
        switch self {
        case .notInstalled(let binary):
            return "podman not found (\(binary)): install podman, or set podman.binary in config.yaml to its path"
        case .tooOld(let version, let minimum):
            return "podman \(version) is too old: opencode-ops needs podman \(minimum) or newer"
        case .permissionDenied(let detail):
            return "podman refused: permission denied (\(detail)). Run as a user that may use podman (rootless podman needs no root)"
        case .commandFailed(let command, let exitCode, let detail):
            return "\(command) failed (exit \(exitCode)): \(detail)"
        case .unexpectedOutput(let command, let detail):
            return "could not read the output of \(command): \(detail)"
        case .portInUse(let address, let port, let owner):
            let who = owner.map { "by \($0)" } ?? "by another program (not visible to this user)"
            return "port \(address):\(port) is already in use \(who): stop it or set port in config.yaml"
        case .imageMissing(let image, let hint):
            return "image \(image) is missing: \(hint)"
        case .envFile(let error):
            return error.message
        case .configEnvironment(let detail):
            return detail
        case .invalidSetting(let field, let reason):
            return "config.yaml \(field): \(reason)"
        case .envFileUnsafe(_, let reason):
            return "refusing to use the secrets file: \(reason)"
        case .envFileMissing(let path):
            return "env file \(path) not found: create it (mode 0600) or fix env_file in config.yaml"
        case .foreignPod(let name, let containers):
            let list = containers.isEmpty ? "no containers" : "containers: " + containers.joined(separator: ", ")
            return "a pod named \(name) already exists that opencode-ops did not create (\(list)); it is left untouched: remove it yourself or set pod in config.yaml to another name"
        case .containerfileMissing(let path):
            return "no Containerfile at \(path): set build_context (and containerfile) in config.yaml"
        case .noPreviousImage(let tag):
            return "no previous image \(tag) to roll back to"
        case .insecure(let reason):
            return "refused: \(reason)"
        }
    }
}
