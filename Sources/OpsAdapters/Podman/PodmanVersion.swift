/// A podman release number.
public struct PodmanVersion: Comparable, Equatable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `podman version 4.3.1` (also `5.2.0-dev`, `4.9.3+ds1`).
    public init?(versionOutput: String) {
        guard let word = versionOutput.split(whereSeparator: { $0 == " " || $0 == "\n" })
            .first(where: { $0.first?.isNumber == true && $0.contains(".") }) else { return nil }
        let core = word.prefix { $0.isNumber || $0 == "." }
        let parts = core.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        self.init(major: parts[0], minor: parts[1], patch: parts.count > 2 ? parts[2] : 0)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (lhs: PodmanVersion, rhs: PodmanVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}
