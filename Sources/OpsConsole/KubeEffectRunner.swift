import Foundation
import OpsAdapters
import OpsCore

/// Writes Kubernetes manifests for the stack, and posts where they went as a message.
public final class KubeEffectRunner: Sendable {
    let context: ConsoleContext

    public init(context: ConsoleContext) {
        self.context = context
    }

    public func perform(_ effect: KubeEffect) {
        switch effect {
        case .export(let settings):
            let directory = KubeExportLocation.directory(paths: context.startup.paths)
            let secretsFile = context.startup.paths.secretsFile(for: settings)
            let post = context.post
            let jobs = context.jobs
            // File writing is quick but still I/O: keep it off the terminal thread.
            Task.detached {
                let names = SecretsFileCheck(path: secretsFile, isDefault: true).names()
                let message = Self.export(settings: settings, secretsFileNames: names, to: directory)
                let failed = message.hasPrefix("kube export failed")
                jobs.record(action: "kube export", target: directory, result: failed ? message : "succeeded")
                post(.message(message, level: failed ? .failure : .success))
            }
        }
    }

    /// The message for the footer: where the files went, or why they did not.
    static func export(settings: Settings, secretsFileNames: [String] = [], to directory: String) -> String {
        do {
            let result = try KubeExporter.export(settings: settings, secretsFileNames: secretsFileNames, to: directory)
            let names = result.files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            let notes = result.notes.isEmpty ? "" : " (" + result.notes.joined(separator: "; ") + ")"
            return "kube: wrote \(names) to \(result.directory)\(notes)"
        } catch {
            return "kube export failed: \(error)"
        }
    }
}
