import OpsCore

/// The Kubernetes objects for the stack `up` runs with podman: one pod holding OpenCode,
/// FalkorDB and Valkey on a shared localhost, its volumes, a Service for OpenCode, and a
/// template of the Secret the pod reads. Pure: settings in, values out.
public struct KubeManifests: Equatable, Sendable {
    /// DNS-1123 base of every object name (the pod setting, made valid).
    public var base: String
    /// Claims, Service and Deployment, in the order they should be applied.
    public var stack: [KubeValue]
    /// The Secret with every secret variable present and empty.
    public var secretTemplate: KubeValue
    /// Things the operator should know about this export (a renamed pod, a secret in config).
    public var notes: [String]

    public static let appName = "opencode"
    public static let managedBy = "opencode-ops"
    /// Longest suffix appended to the base name.
    static let longestSuffix = KubeVolume.allCases.map { $0.rawValue.count + 1 }.max() ?? 0

    public var secretName: String { "\(base)-secrets" }

    /// - Parameter secretsFileNames: the names the secrets file sets; those the catalogue does
    ///   not know are secret too, so they get a key in the Secret.
    public init(settings: Settings, options: KubeExportOptions = KubeExportOptions(), secretsFileNames: [String] = []) throws {
        guard let base = KubeNames.base(from: settings.pod, reserving: Self.longestSuffix) else {
            throw KubeExportError.invalidName(field: "pod", value: settings.pod)
        }
        self.base = base
        var notes: [String] = []
        if base != settings.pod {
            notes.append("pod name '\(settings.pod)' is not a DNS-1123 name: the manifests use '\(base)'")
        }
        let secrets = SecretNames(configured: settings.secretNames, secretsFile: secretsFileNames)
        let secretNames = secrets.all
        for name in settings.environment.keys.sorted() where secrets.isSecret(name) {
            notes.append("\(name) in config.yaml environment is secret: exported as a reference to the Secret, its value left out")
        }
        self.notes = notes
        let labels = options.extraLabels.merging(Self.selector(base: base)) { _, ours in ours }
            .merging(["app.kubernetes.io/managed-by": Self.managedBy]) { _, ours in ours }
        stack = KubeVolume.allCases.map { Self.claim($0, base: base, labels: labels, options: options) }
            + [Self.service(base: base, labels: labels),
               Self.deployment(settings: settings, base: base, labels: labels, secretNames: secretNames)]
        secretTemplate = .object(
            ("apiVersion", "v1"), ("kind", "Secret"),
            ("metadata", .object(("name", .string("\(base)-secrets")), ("labels", .labels(labels)))),
            ("type", "Opaque"),
            ("stringData", .map(secretNames.map { KubeField($0, "") }))
        )
    }

    /// Labels the Deployment selects its pod by (and the Service its endpoints by).
    public static func selector(base: String) -> [String: String] {
        ["app.kubernetes.io/name": appName, "app.kubernetes.io/instance": base]
    }

    static func metadata(_ name: String, labels: [String: String]) -> KubeValue {
        .object(("name", .string(name)), ("labels", .labels(labels)))
    }

    static func claim(_ volume: KubeVolume, base: String, labels: [String: String], options: KubeExportOptions) -> KubeValue {
        var spec: [(String, KubeValue)] = [("accessModes", .strings(["ReadWriteOnce"]))]
        if let storageClass = options.storageClass { spec.append(("storageClassName", .string(storageClass))) }
        let size = options.sizes[volume] ?? volume.defaultSize
        spec.append(("resources", .object(("requests", .object(("storage", .string(size)))))))
        return .object(
            ("apiVersion", "v1"), ("kind", "PersistentVolumeClaim"),
            ("metadata", metadata(volume.claimName(base: base), labels: labels.merging(["app.kubernetes.io/component": volume.role.rawValue]) { _, ours in ours })),
            ("spec", .map(spec.map { KubeField($0.0, $0.1) }))
        )
    }

    /// ClusterIP only: reaching OpenCode from outside the cluster (Ingress, port-forward) is the
    /// cluster operator's choice, and no hostPort ties the pod to a node.
    static func service(base: String, labels: [String: String]) -> KubeValue {
        .object(
            ("apiVersion", "v1"), ("kind", "Service"),
            ("metadata", metadata(base, labels: labels)),
            ("spec", .object(
                ("type", "ClusterIP"),
                ("selector", .labels(selector(base: base))),
                ("ports", .list([.object(("name", "http"), ("port", .int(BringUpPlanner.opencodePort)),
                                         ("targetPort", .int(BringUpPlanner.opencodePort)), ("protocol", "TCP"))]))
            ))
        )
    }

    /// One replica, replaced with Recreate: the volumes are ReadWriteOnce and the databases are
    /// single writers, so an old and a new pod must never run side by side.
    static func deployment(settings: Settings, base: String, labels: [String: String], secretNames: [String]) -> KubeValue {
        let containers: [KubeValue] = [
            container(.opencode, image: settings.image, base: base, environment: environment(settings: settings, secret: "\(base)-secrets", secretNames: secretNames)),
            container(.falkordb, image: settings.falkordbImage, base: base),
            container(.valkey, image: settings.valkeyImage, base: base, arguments: ["--port", "\(BringUpPlanner.valkeyPort)"]),
        ]
        let volumes: [KubeValue] = KubeVolume.allCases.map {
            .object(("name", .string($0.rawValue)), ("persistentVolumeClaim", .object(("claimName", .string($0.claimName(base: base))))))
        }
        return .object(
            ("apiVersion", "apps/v1"), ("kind", "Deployment"),
            ("metadata", metadata(base, labels: labels)),
            ("spec", .object(
                ("replicas", 1),
                ("strategy", .object(("type", "Recreate"))),
                ("selector", .object(("matchLabels", .labels(selector(base: base))))),
                ("template", .object(
                    ("metadata", .object(("labels", .labels(labels)))),
                    ("spec", .object(
                        // A Service named like the pod would otherwise inject OPENCODE_PORT and
                        // friends into the environment OpenCode reads its settings from.
                        ("enableServiceLinks", false),
                        ("terminationGracePeriodSeconds", 30),
                        ("containers", .list(containers)),
                        ("volumes", .list(volumes))
                    ))
                ))
            ))
        )
    }

    static func container(_ role: PodmanRole, image: String, base: String, arguments: [String] = [], environment: [KubeValue] = []) -> KubeValue {
        var fields: [(String, KubeValue)] = [("name", .string(role.rawValue)), ("image", .string(image)),
                                             ("imagePullPolicy", "IfNotPresent")]
        if !arguments.isEmpty { fields.append(("args", .strings(arguments))) }
        // No `ports` list: it is informational to Kubernetes, but podman 4.3's `kube play`
        // publishes every containerPort on all host addresses, which would expose the databases.
        if !environment.isEmpty { fields.append(("env", .list(environment))) }
        let mounts: [KubeValue] = KubeVolume.allCases.filter { $0.role == role }.map {
            .object(("name", .string($0.rawValue)), ("mountPath", .string($0.mountPath)))
        }
        fields.append(("volumeMounts", .list(mounts)))
        fields += KubeProbes.fields(for: role)
        return .map(fields.map { KubeField($0.0, $0.1) })
    }

    /// The config's non-secret overrides as plain values, every secret as an optional reference
    /// to the Secret (a key left out of the Secret leaves the variable unset, as an env file would).
    static func environment(settings: Settings, secret: String, secretNames: [String]) -> [KubeValue] {
        let plain: [KubeValue] = settings.environment.keys.sorted().filter { !secretNames.contains($0) }.map {
            .object(("name", .string($0)), ("value", .string(settings.environment[$0] ?? "")))
        }
        let references: [KubeValue] = secretNames.map {
            .object(("name", .string($0)), ("valueFrom", .object(("secretKeyRef", .object(
                ("name", .string(secret)), ("key", .string($0)), ("optional", true)
            )))))
        }
        return plain + references
    }
}

public enum KubeExportError: Error, Equatable, CustomStringConvertible {
    case invalidName(field: String, value: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let field, let value):
            "config.yaml field '\(field)': '\(value)' has no letter or digit to make a Kubernetes name from"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
