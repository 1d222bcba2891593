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

    public static func export(
        settings: Settings, options: KubeExportOptions = KubeExportOptions(), secretsFileNames: [String] = [], to directory: String
    ) throws -> KubeExportResult {
        let manifests = try KubeManifests(settings: settings, options: options, secretsFileNames: secretsFileNames)
        var notes = manifests.notes
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try PrivateFiles.makeDirectory(directory)
            } catch {
                throw KubeExportError.cannotWrite(path: directory, reason: error.description)
            }
        }
        let stackPath = (directory as NSString).appendingPathComponent(stackFile)
        let secretPath = (directory as NSString).appendingPathComponent(secretTemplateFile)
        let stack = try KubeValue.yaml(documents: manifests.stack, header: [
            "OpenCode with FalkorDB and Valkey in one pod, exported by opencode-ops from config.yaml.",
            "Create the Secret '\(manifests.secretName)' first (see \(secretTemplateFile)), then: kubectl apply -f \(stackFile)",
        ])
        try write(stack, to: stackPath)
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
            // 0600 like every file we write: an operator who fills it in place keeps it private.
            try write(template, to: secretPath)
        }
        return KubeExportResult(directory: directory, files: [stackPath, secretPath], notes: notes)
    }

    /// True when the file exists and any of its Secret values is non-empty.
    static func holdsValues(_ path: String) throws -> Bool {
        // A link is not a template we wrote: it is replaced, and its target left alone.
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil { return false }
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

    /// A link planted at either name is replaced, never written through.
    static func write(_ text: String, to path: String) throws {
        do {
            try PrivateFiles.replace(path, with: Data(text.utf8))
        } catch {
            throw KubeExportError.cannotWrite(path: path, reason: error.description)
        }
    }
}
