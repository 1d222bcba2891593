import Foundation

/// What the console knows about image builds, their history and the log view.
public struct BuildState: Equatable, Sendable {
    public var source: LogSource = .opencode
    /// Lines per source; the `.build` buffer holds the last build's output.
    public var logs: [LogSource: LogBuffer] = [:]
    /// Keep the view at the newest line as lines arrive (`f` pauses and resumes).
    public var isFollowing = true
    public var showsTimestamps = false
    /// The `podman logs` stream feeding the selected container source, if any.
    public var stream: LogStream?
    /// Increases with every stream started, so lines of a stopped stream are ignored.
    public var generation = 0
    public var run: BuildRun?
    public var lastResult: BuildResult?
    /// Newest last, as the history file holds them.
    public var history: [PodmanBuildRecord] = []
    public var logLimit = 2000

    public init() {}

    public func buffer(_ source: LogSource) -> LogBuffer {
        logs[source] ?? LogBuffer(limit: logLimit)
    }

    /// Lines of the selected source.
    public var entries: [LogEntry] { buffer(source).entries }

    /// Rows the panel scrolls through: the selected source's lines (the filter hides lines but
    /// the position stays in the full log, so clearing the filter keeps the place).
    public var rowCount: Int { entries.count }

    public var isBuilding: Bool { run != nil }
}

/// A running `podman logs --follow` for one container.
public struct LogStream: Equatable, Sendable {
    public var source: LogSource
    public var containerID: String
    public var generation: Int

    public init(source: LogSource, containerID: String, generation: Int) {
        self.source = source
        self.containerID = containerID
        self.generation = generation
    }
}

/// A build or rebuild in progress.
public struct BuildRun: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable { case build, rebuild }

    public var kind: Kind
    public var progress: PodmanBuildProgress?
    public var elapsed: TimeInterval = 0
    /// What happens now, in words: "building", "replacing opencode-opencode", ...
    public var phase: String
    public var isCancelling = false
    /// Once a rebuild's build succeeded the replacement runs to its end; cancel is refused.
    public var isPastBuild = false

    public init(kind: Kind, phase: String = "starting podman build") {
        self.kind = kind
        self.phase = phase
    }
}

/// How the last build, rebuild or rollback ended, in one line for the panel.
public struct BuildResult: Equatable, Sendable {
    public enum Status: Equatable, Sendable { case ok, warn, fail }

    public var status: Status
    public var text: String
    /// From a job that ended before this console opened: shown muted, as history, not as news.
    public var isEarlier = false

    public init(status: Status, text: String) {
        self.status = status
        self.text = text
    }
}

extension BuildResult.Status {
    /// How the result reads in the footer and the messages list.
    public var messageLevel: MessageLevel {
        switch self {
        case .ok: return .success
        case .warn: return .warning
        case .fail: return .failure
        }
    }
}
