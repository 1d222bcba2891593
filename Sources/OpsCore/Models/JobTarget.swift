/// What a job works on, recorded in its status so nobody reads it back from the arguments.
public enum JobTarget: Codable, Equatable, Sendable {
    /// The backup a restore or verify reads.
    case backup(id: String)
    /// The image a build, rebuild, rollback or apply makes or runs.
    case image(tag: String)

    public var backupID: String? {
        if case .backup(let id) = self { return id }
        return nil
    }
}
