import Foundation
import OpsCore
import Yams

/// What an export wrote.
public struct KubeExportResult: Equatable, Sendable, Codable {
    public var directory: String
    /// Full paths of the files written or kept, stack first.
    public var files: [String]
    public var notes: [String]

    public init(directory: String, files: [String], notes: [String]) {
        self.directory = directory
        self.files = files
        self.notes = notes
    }
}

/// Writes the manifests into a folder: `stack.yaml` (claims, Service, Deployment) and
/// `secret.yaml.template`. The template's name keeps `kubectl apply -f FOLDER` from applying
/// empty secrets over real ones.
public enum KubeExporter {
    public static let stackFile = "stack.yaml"
    public static let secretTemplateFile = "secret.yaml.template"

    public static func export(settings: Settings, options: KubeExportOptions = KubeExportOptions(), to directory: String) throws -> KubeExportResult {
        let manifests = try KubeManifests(settings: settings, options: options)
        var notes = manifests.notes
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw KubeExportError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        let stackPath = (directory as NSString).appendingPathComponent(stackFile)
        let secretPath = (directory as NSString).appendingPathComponent(secretTemplateFile)
        let stack = try KubeValue.yaml(documents: manifests.stack, header: [
            "OpenCode with FalkorDB and Valkey in one pod, exported by opencode-ops from config.yaml.",
            "Create the Secret '\(manifests.secretName)' first (see \(secretTemplateFile)), then: kubectl apply -f \(stackFile)",
        ])
        try write(stack, to: stackPath, permissions: 0o644)
        if try holdsValues(secretPath) {
            // An operator filled the template in place: never overwrite real values with blanks.
            notes.append("\(secretTemplateFile) kept: it holds values (move it somewhere safe; it is not needed here)")
        } else {
            let template = try KubeValue.yaml(documents: [manifests.secretTemplate], header: [
                "Template of the Secret the pod reads; no values are exported, ever.",
                "Fill in the values you use, delete the lines you do not, and apply it once:",
                "  kubectl apply -f secret.yaml   (or: kubectl create secret generic \(manifests.secretName) --from-env-file=secrets.env)",
                "Keep the filled-in copy out of version control.",
            ])
            // 0600: an operator who fills it in place should not leave secrets world-readable.
            try write(template, to: secretPath, permissions: 0o600)
        }
        return KubeExportResult(directory: directory, files: [stackPath, secretPath], notes: notes)
    }

    /// True when the file exists and any of its Secret values is non-empty.
    static func holdsValues(_ path: String) throws -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        guard let document = try? Yams.load(yaml: text) as? [String: Any] else {
            // Unreadable as YAML: someone edited it by hand; keep it rather than guess.
            return !text.isEmpty
        }
        for section in ["stringData", "data"] {
            if let values = document[section] as? [String: Any],
               values.values.contains(where: { !("\($0)".isEmpty || $0 is NSNull) }) {
                return true
            }
        }
        return false
    }

    static func write(_ text: String, to path: String, permissions: Int) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        } catch {
            throw KubeExportError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
