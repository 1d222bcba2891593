/// Choices about the export that are not part of the console settings.
public struct KubeExportOptions: Equatable, Sendable {
    /// Labels added to every object (tests: `opencode-ops-test=kube`).
    public var extraLabels: [String: String]
    /// `storageClassName` of every claim; nil leaves the cluster's default class in charge.
    public var storageClass: String?
    /// Requested size per volume; missing entries use `KubeVolume.defaultSize`.
    public var sizes: [KubeVolume: String]

    public init(extraLabels: [String: String] = [:], storageClass: String? = nil, sizes: [KubeVolume: String] = [:]) {
        self.extraLabels = extraLabels
        self.storageClass = storageClass
        self.sizes = sizes
    }
}
