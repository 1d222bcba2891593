import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops kube`: writes Kubernetes manifests for the stack `up` runs, and says where.
struct KubeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube",
        abstract: "Export the stack as Kubernetes manifests (Deployment, claims, Service, Secret template).",
        discussion: "Writes stack.yaml and secret.yaml.template. No secret value is ever exported. See KUBERNETES.md."
    )

    @Option(name: .long, help: "Folder to write into (default: the state folder's kube/).")
    var out: String?

    @Option(name: .long, help: "storageClassName for every volume claim (default: the cluster's default class).")
    var storageClass: String?

    @Option(name: .long, parsing: .singleValue, help: "Extra label KEY=VALUE on every object; repeatable.")
    var label: [String] = []

    @Flag(help: "Print JSON: the folder, the files written and any notes.")
    var json = false

    func validate() throws {
        for entry in label where KubeLabelArgument.parse(entry) == nil {
            throw ValidationError("--label \(entry): expected KEY=VALUE, VALUE at most 63 letters, digits, '-', '_' or '.'")
        }
        if let storageClass, !KubeNames.isDNS1123Label(storageClass) {
            throw ValidationError("--storage-class \(storageClass): not a valid storage class name (lower-case letters, digits, '-')")
        }
    }

    @OptionGroup var readonly: ReadonlyOption

    func run() async throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        let directory = out.map { ($0 as NSString).expandingTildeInPath } ?? KubeExportLocation.directory(paths: context.paths)
        try readonly.requireWritable("kube", context: context, target: directory)
        try await CommandAudit.run("kube export", target: directory) { try export(context, to: directory) }
    }

    private func export(_ context: PodmanCommandContext, to directory: String) throws {
        let labels = Dictionary(label.compactMap(KubeLabelArgument.parse), uniquingKeysWith: { _, last in last })
        let result: KubeExportResult
        do {
            result = try KubeExporter.export(
                settings: context.settings, options: KubeExportOptions(extraLabels: labels, storageClass: storageClass),
                secretsFileNames: context.secrets.names(), to: directory
            )
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            emit(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        emit("wrote Kubernetes manifests to \(result.directory):")
        for file in result.files { emit("  \(file)") }
        for note in result.notes { printError("note: \(note)") }
    }
}

/// `KEY=VALUE` of `--label`, checked against Kubernetes' label value rules.
enum KubeLabelArgument {
    static func parse(_ text: String) -> (String, String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let key = String(text[..<equals]), value = String(text[text.index(after: equals)...])
        let valueCharacters = value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !key.isEmpty, key.count <= 253, value.count <= 63, valueCharacters else { return nil }
        return (key, value)
    }
}
