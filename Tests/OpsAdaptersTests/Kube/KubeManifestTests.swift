import Foundation
import OpsCore
import Testing
import Yams
@testable import OpsAdapters

/// The manifests parsed back with Yams, checked as the API server would check them.
@Suite struct KubeManifestTests {
    func settings(pod: String = "opencode", environment: [String: String] = [:], secretNames: [String] = []) -> Settings {
        var settings = Settings()
        settings.pod = pod
        settings.environment = environment
        settings.secretNames = secretNames
        return settings
    }

    func documents(_ settings: Settings, options: KubeExportOptions = KubeExportOptions(), secretsFileNames: [String] = []) throws -> [[String: Any]] {
        let manifests = try KubeManifests(settings: settings, options: options, secretsFileNames: secretsFileNames)
        let text = try KubeValue.yaml(documents: manifests.stack + [manifests.secretTemplate])
        return try Yams.load_all(yaml: text).map { try #require($0 as? [String: Any]) }
    }

    func deployment(_ documents: [[String: Any]]) throws -> [String: Any] {
        try #require(documents.first { $0["kind"] as? String == "Deployment" })
    }

    func podSpec(_ deployment: [String: Any]) throws -> [String: Any] {
        let spec = try #require(deployment["spec"] as? [String: Any])
        let template = try #require(spec["template"] as? [String: Any])
        return try #require(template["spec"] as? [String: Any])
    }

    @Test func everyDocumentHasItsAPIVersionAndAValidName() throws {
        let expected = ["PersistentVolumeClaim": "v1", "Service": "v1", "Deployment": "apps/v1", "Secret": "v1"]
        let all = try documents(settings())
        #expect(all.count == 7)
        for document in all {
            let kind = try #require(document["kind"] as? String)
            #expect(document["apiVersion"] as? String == expected[kind])
            let metadata = try #require(document["metadata"] as? [String: Any])
            let name = try #require(metadata["name"] as? String)
            #expect(KubeNames.isDNS1123Label(name), "\(kind) \(name)")
        }
    }

    @Test func selectorMatchesThePodTemplateLabels() throws {
        let deployment = try deployment(try documents(settings(), options: KubeExportOptions(extraLabels: ["opencode-ops-test": "kube"])))
        let spec = try #require(deployment["spec"] as? [String: Any])
        let selector = try #require((spec["selector"] as? [String: Any])?["matchLabels"] as? [String: String])
        let labels = try #require(((spec["template"] as? [String: Any])?["metadata"] as? [String: Any])?["labels"] as? [String: String])
        #expect(!selector.isEmpty)
        for (key, value) in selector { #expect(labels[key] == value) }
        #expect(labels["opencode-ops-test"] == "kube")
        #expect(spec["replicas"] as? Int == 1)
    }

    @Test func numbersAndNumericStringsKeepTheirTypes() throws {
        let spec = try podSpec(try deployment(try documents(settings())))
        let containers = try #require(spec["containers"] as? [[String: Any]])
        let valkey = try #require(containers.first { $0["name"] as? String == "valkey" })
        // "6380" must stay a string argument, the probe period an integer.
        #expect(valkey["args"] as? [String] == ["--port", "6380"])
        let liveness = try #require(valkey["livenessProbe"] as? [String: Any])
        #expect(liveness["periodSeconds"] as? Int == 15)
        #expect(spec["enableServiceLinks"] as? Bool == false)
    }

    @Test func mountsMatchTheBringUpAndEveryClaimExists() throws {
        let all = try documents(settings())
        let claims = Set(all.filter { $0["kind"] as? String == "PersistentVolumeClaim" }
            .compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String })
        for role in PodmanRole.allCases {
            #expect(claims.contains(BringUpPlanner.volumeName(pod: "opencode", role: role)))
        }
        let spec = try podSpec(try deployment(all))
        let volumes = try #require(spec["volumes"] as? [[String: Any]])
        for volume in volumes {
            let claim = try #require((volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String)
            #expect(claims.contains(claim))
        }
        let containers = try #require(spec["containers"] as? [[String: Any]])
        for container in containers {
            let role = try #require(PodmanRole(rawValue: container["name"] as? String ?? ""))
            let paths = (container["volumeMounts"] as? [[String: Any]] ?? []).compactMap { $0["mountPath"] as? String }
            #expect(paths.contains(BringUpPlanner.dataPaths[role] ?? ""))
            #expect(container["ports"] == nil)
        }
    }

    /// Every declared secret (catalogue, `secret_names`, the secrets file's unknown names) is a
    /// key of the Secret and a reference in the pod, never a plain `value:`.
    @Test func secretsAreReferencesNeverValues() throws {
        let declared = settings(environment: ["B2_BUCKET": "bucket", "GITHUB_PAT": "do-not-export"], secretNames: ["GITHUB_PAT"])
        let all = try documents(declared, secretsFileNames: ["CUSTOM_TOKEN", "B2_BUCKET"])
        let spec = try podSpec(try deployment(all))
        let opencode = try #require((spec["containers"] as? [[String: Any]])?.first)
        let env = try #require(opencode["env"] as? [[String: Any]])
        let secret = try #require(all.first { $0["kind"] as? String == "Secret" })
        let values = try #require(secret["stringData"] as? [String: String])
        #expect(values.values.allSatisfy { $0.isEmpty })
        let expected = Set(EnvCatalogue.variables.filter(\.isSecret).map(\.name) + ["CUSTOM_TOKEN", "GITHUB_PAT"])
        #expect(Set(values.keys) == expected)
        #expect(env.contains { $0["name"] as? String == "GITHUB_PAT" })
        for entry in env {
            let name = try #require(entry["name"] as? String)
            if expected.contains(name) {
                #expect(entry["value"] == nil, "\(name) written as a value")
                let reference = try #require((entry["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any])
                #expect(reference["name"] as? String == "opencode-secrets")
                #expect(reference["key"] as? String == name)
            }
        }
        #expect(env.contains { $0["name"] as? String == "B2_BUCKET" && $0["value"] as? String == "bucket" })
        let text = try KubeValue.yaml(documents: try KubeManifests(settings: declared).stack)
        #expect(!text.contains("do-not-export"))
    }

    @Test func podNamesAreMadeDNS1123() throws {
        #expect(KubeNames.base(from: "OpenCode_Dev", reserving: 14) == "opencode-dev")
        #expect(KubeNames.base(from: "--x--", reserving: 14) == "x")
        #expect(KubeNames.base(from: "___", reserving: 14) == nil)
        #expect((KubeNames.base(from: String(repeating: "a", count: 100), reserving: 14) ?? "").count == 49)
        #expect(throws: KubeExportError.self) { try KubeManifests(settings: settings(pod: "__")) }
        let manifests = try KubeManifests(settings: settings(pod: "My Pod"))
        #expect(manifests.base == "my-pod")
        #expect(manifests.notes.contains { $0.contains("my-pod") })
    }

    @Test func exportWritesBothFilesAndKeepsAFilledTemplate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try KubeExporter.export(settings: settings(), to: directory)
        #expect(first.files.map { ($0 as NSString).lastPathComponent } == ["stack.yaml", "secret.yaml.template"])
        let templatePath = first.files[1]
        for file in first.files {
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        }
        let filled = try String(contentsOfFile: templatePath, encoding: .utf8).replacingOccurrences(of: "DD_API_KEY: ''", with: "DD_API_KEY: 'x'")
        try filled.write(toFile: templatePath, atomically: true, encoding: .utf8)
        let second = try KubeExporter.export(settings: settings(), to: directory)
        #expect(try String(contentsOfFile: templatePath, encoding: .utf8) == filled)
        #expect(second.notes.contains { $0.contains("kept") })
    }
}

@Suite struct KubeExportLinkTests {
    /// Links planted at the file names are replaced, and their targets keep their bytes.
    @Test func exportNeverWritesThroughALink() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-link-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let victim = directory + "/victim.txt"
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        for name in [KubeExporter.stackFile, KubeExporter.secretTemplateFile] {
            try FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: victim)
        }
        var settings = Settings()
        settings.pod = "opencode"
        _ = try KubeExporter.export(settings: settings, to: directory)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        for name in [KubeExporter.stackFile, KubeExporter.secretTemplateFile] {
            let type = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.type] as? FileAttributeType
            #expect(type == .typeRegular, "\(name) is still a link")
        }
    }
}
