import Foundation
import OpsCore

/// The config's `environment:` values as a podman env file, for one `podman create`: written
/// 0600 in a folder only this user can enter, and removed as soon as podman has read it.
/// Passing them as `--env NAME=value` would show every value to anyone running `ps`.
public enum ConfigEnvironmentFile {
    /// The file's path, or nil when there is nothing to pass.
    public static func write(_ environment: [String: String]) throws(PodmanFailure) -> String? {
        guard !environment.isEmpty else { return nil }
        if let name = environment.keys.sorted().first(where: { environment[$0]!.contains(where: \.isNewline) || environment[$0]!.contains("\0") }) {
            // An env file holds one variable per line; the value itself is not echoed.
            throw .configEnvironment(detail: "environment.\(name) in config.yaml holds a line break, which an env file cannot carry")
        }
        let text = environment.keys.sorted().map { "\($0)=\(environment[$0]!)\n" }.joined()
        do {
            let folder = try PrivateFiles.temporaryDirectory(prefix: "opencode-ops-env")
            let path = (folder as NSString).appendingPathComponent("config.env")
            do {
                try PrivateFiles.replace(path, with: Data(text.utf8))
            } catch {
                try? FileManager.default.removeItem(atPath: folder)
                throw error
            }
            return path
        } catch {
            throw .configEnvironment(detail: "cannot write the environment file: \(error)")
        }
    }

    /// Removes the file and its folder.
    public static func remove(_ path: String?) {
        guard let path else { return }
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
}
