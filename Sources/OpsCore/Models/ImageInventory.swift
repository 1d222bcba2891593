import Foundation

/// One image as `podman images --format json` lists it: the raw facts the inventory sorts.
public struct ListedImage: Equatable, Sendable, Codable {
    public var id: String
    public var tags: [String]
    public var size: Int
    public var createdAt: Date?
    /// Containers (running or not) that use the image.
    public var containers: Int
    public var dangling: Bool
    /// Names the image had before a later build took them (podman's `History`): how a dangling
    /// leftover is known to be one of ours.
    public var formerNames: [String]

    public init(
        id: String, tags: [String] = [], size: Int = 0, createdAt: Date? = nil, containers: Int = 0,
        dangling: Bool = false, formerNames: [String] = []
    ) {
        self.id = id
        self.tags = tags
        self.size = size
        self.createdAt = createdAt
        self.containers = containers
        self.dangling = dangling
        self.formerNames = formerNames
    }
}

/// What an image is to the project, which decides whether pruning may touch it.
public enum ImageRole: String, Equatable, Sendable, Codable {
    /// Carries the configured name: what `up` and a rebuild run.
    case current
    /// `:previous`, kept for rollback.
    case previous
    /// Another tag of the project's repository: never made by a build, so kept.
    case older
    /// Lost every name to a later build.
    case dangling
}

/// A project image with its role and whether pruning may remove it.
public struct ProjectImage: Equatable, Sendable, Codable {
    public var image: ListedImage
    public var role: ImageRole
    /// Why pruning leaves it, or nil when it may go.
    public var keptBecause: String?

    public var isPrunable: Bool { keptBecause == nil }
}

/// A named volume and the space it takes (nil when podman did not say).
public struct VolumeUsage: Equatable, Sendable, Codable {
    public var name: String
    public var size: Int?

    public init(name: String, size: Int?) {
        self.name = name
        self.size = size
    }
}

/// One line of `podman system df`: images, containers or local volumes in all.
public struct DiskUsageTotal: Equatable, Sendable, Codable {
    public var kind: String
    public var total: Int
    public var active: Int
    public var size: Int
    public var reclaimable: Int

    public init(kind: String, total: Int, active: Int, size: Int, reclaimable: Int) {
        self.kind = kind
        self.total = total
        self.active = active
        self.size = size
        self.reclaimable = reclaimable
    }
}

/// The project's images, its pod's volumes and podman's storage totals, as of one moment.
public struct ImageInventory: Equatable, Sendable, Codable {
    public var reference: String
    /// Newest first.
    public var images: [ProjectImage]
    public var volumes: [VolumeUsage]
    public var totals: [DiskUsageTotal]
    /// Why podman gave no totals, when it did not.
    public var totalsProblem: String?
    public var takenAt: Date

    public init(reference: String, images: [ProjectImage], volumes: [VolumeUsage], totals: [DiskUsageTotal], takenAt: Date) {
        self.reference = reference
        self.images = images
        self.volumes = volumes
        self.totals = totals
        self.takenAt = takenAt
    }

    /// Sorts podman's listing into the project's images. Only dangling leftovers (images that
    /// lost our name to a later build) are prunable, and only while no container (running or
    /// stopped, or named in `inUse`) uses them: the configured image, `:previous` and any other
    /// tag stay.
    public init(
        reference: String, listed: [ListedImage], inUse: Set<String> = [], volumes: [VolumeUsage] = [],
        totals: [DiskUsageTotal] = [], takenAt: Date
    ) {
        let current = Self.normalized(reference)
        let previous = PodmanImageReference.previousTag(for: current)
        let repository = Self.repository(of: current)
        var images: [ProjectImage] = []
        for image in listed {
            let tags = image.tags.map(Self.normalized)
            let role: ImageRole
            if tags.contains(current) {
                role = .current
            } else if tags.contains(previous) {
                role = .previous
            } else if tags.contains(where: { Self.repository(of: $0) == repository }) {
                role = .older
            } else if image.dangling, image.formerNames.contains(where: { Self.repository(of: Self.normalized($0)) == repository }) {
                role = .dangling
            } else {
                continue
            }
            let kept: String?
            switch role {
            case .current: kept = "the configured image"
            case .previous: kept = "for rollback"
            // Builds never make other tags: someone chose that name, so it stays.
            case .older: kept = "tagged by hand (podman rmi removes it)"
            case .dangling:
                if image.containers > 0 || inUse.contains(image.id) {
                    kept = "used by a container"
                } else {
                    kept = nil
                }
            }
            images.append(ProjectImage(image: image, role: role, keptBecause: kept))
        }
        images.sort { ($0.image.createdAt ?? .distantPast) > ($1.image.createdAt ?? .distantPast) }
        self.init(reference: current, images: images, volumes: volumes, totals: totals, takenAt: takenAt)
    }

    public var prunable: [ProjectImage] { images.filter(\.isPrunable) }

    /// Bytes a prune would free. Layers shared with a kept image stay, so this is an upper bound.
    public var prunableBytes: Int { prunable.reduce(0) { $0 + $1.image.size } }

    /// The name as podman stores a built image: `latest` spelled out, and `localhost/` in front
    /// of a name without a registry (a first part with no `.` or `:` that is not `localhost`).
    static func normalized(_ reference: String) -> String {
        var reference = reference
        if let at = reference.firstIndex(of: "@") { reference = String(reference[..<at]) }
        let lastSlash = reference.lastIndex(of: "/") ?? reference.startIndex
        if reference[lastSlash...].lastIndex(of: ":") == nil { reference += ":latest" }
        let first = reference.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let hasRegistry = reference.contains("/") && (first.contains(".") || first.contains(":") || first == "localhost")
        if !hasRegistry { reference = "localhost/" + reference }
        return reference
    }

    static func repository(of reference: String) -> String {
        let lastSlash = reference.lastIndex(of: "/") ?? reference.startIndex
        if let colon = reference[lastSlash...].lastIndex(of: ":") { return String(reference[..<colon]) }
        return reference
    }
}

/// How a prune went: what was removed, and what podman refused with its reason.
public struct PruneOutcome: Equatable, Sendable, Codable {
    public struct Refusal: Equatable, Sendable, Codable {
        public var id: String
        public var reason: String

        public init(id: String, reason: String) {
            self.id = id
            self.reason = reason
        }
    }

    public var removed: [ListedImage]
    public var refused: [Refusal]

    public init(removed: [ListedImage], refused: [Refusal]) {
        self.removed = removed
        self.refused = refused
    }

    public var freedBytes: Int { removed.reduce(0) { $0 + $1.size } }

    /// One line for the status line, the audit log and the CLI.
    public var summary: String {
        var text = "removed \(removed.count) image\(removed.count == 1 ? "" : "s"), up to \(BackupFormat.bytes(freedBytes)) freed"
        if !refused.isEmpty {
            text += "; \(refused.count) not removed: " + refused.map { "\(PodmanImageReference.short($0.id)) (\($0.reason))" }.joined(separator: ", ")
        }
        return text
    }
}
