import Foundation
import OpsCore

/// Compares a planned container with the one that runs: image, volumes, environment (names only)
/// and, through a digest label put on at create time, every other setting.
public enum ContainerDrift {
    /// Label holding the digest of everything a container was created with.
    public static let specLabel = "io.opencode-ops.spec"

    /// Variables podman or the runtime set on its own: never drift.
    static let runtimeVariables: Set<String> = ["PATH", "HOME", "HOSTNAME", "TERM", "container"]

    /// The variables a spec sets, env file first, then `--env` (which wins, as in podman).
    public static func plannedEnvironment(_ spec: PodmanContainerSpec) -> [String: String] {
        var environment = envFileValues(spec.envFile)
        for (key, value) in spec.environment { environment[key] = value }
        return environment
    }

    static func envFileValues(_ path: String?) -> [String: String] {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8),
              let file = try? EnvFile.parse(text, path: path) else { return [:] }
        var values: [String: String] = [:]
        for entry in file.entries { if let value = entry.value { values[entry.key] = value } }
        return values
    }

    /// A fingerprint of a container's create arguments (without this label). It only has to
    /// notice a changed option, so it is no cryptographic hash, and it carries no variable
    /// values: those are compared one by one from inspect.
    public static func digest(arguments: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bit
        for byte in arguments.joined(separator: "\u{0}").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    /// Why `running` differs from `spec`; empty when it matches. `imageID` is what the spec's
    /// image resolves to now (nil: not in local storage), `imageDefaults` that image's ENV.
    public static func reasons(
        spec: PodmanContainerSpec, running: PodmanContainerConfig, imageID: String?,
        imageDefaults: [String: String], digest: String
    ) -> [String] {
        var reasons: [String] = []
        if let imageID {
            if imageID != running.imageID {
                reasons.append("image \(spec.image) is now \(PodmanImageReference.short(imageID)) (runs \(PodmanImageReference.short(running.imageID)))")
            }
        } else {
            reasons.append("image \(spec.image) is not in local storage (runs \(PodmanImageReference.short(running.imageID)))")
        }
        for mount in spec.mounts where !running.mounts.contains(mount) {
            reasons.append("volume \(mount.volume) at \(mount.path) added")
        }
        let planned = plannedEnvironment(spec)
        var changed: [String] = []
        var removed: [String] = []
        for (key, value) in planned where running.environment[key] != value {
            changed.append(key)
        }
        for (key, value) in running.environment where planned[key] == nil && !runtimeVariables.contains(key) {
            if let fallback = imageDefaults[key] {
                if fallback != value { changed.append(key) }
            } else {
                removed.append(key)
            }
        }
        if !changed.isEmpty { reasons.append("variables changed: \(changed.sorted().joined(separator: ", "))") }
        if !removed.isEmpty { reasons.append("variables removed: \(removed.sorted().joined(separator: ", "))") }
        if reasons.isEmpty, let recorded = running.labels[specLabel], recorded != digest {
            reasons.append("settings changed (command, labels or options)")
        }
        return reasons
    }
}
