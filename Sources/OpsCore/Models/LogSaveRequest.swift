/// `S`: write the log the Build & Logs panel shows to a file. A container's whole log is read
/// again from podman (the panel keeps only its newest lines); the build output is what the
/// panel holds.
public struct LogSaveRequest: Equatable, Sendable {
    public var source: LogSource
    /// The container to read, for container sources; nil for the build output.
    public var container: String?
    /// The panel's filter: only matching lines are saved (case ignored, as `/` matches).
    public var filter: String
    /// The build output's lines, for the build source.
    public var lines: [String]
    /// Names the file: `<pod>-<source>-<time>.log`.
    public var pod: String

    public init(source: LogSource, container: String?, filter: String, lines: [String], pod: String) {
        self.source = source
        self.container = container
        self.filter = filter
        self.lines = lines
        self.pod = pod
    }
}
