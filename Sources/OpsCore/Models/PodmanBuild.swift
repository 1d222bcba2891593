import Foundation

/// `STEP n/m: INSTRUCTION` progress of a podman (buildah) build.
public struct PodmanBuildProgress: Equatable, Sendable {
    public var step: Int
    public var total: Int
    public var instruction: String

    public init(step: Int, total: Int, instruction: String) {
        self.step = step
        self.total = total
        self.instruction = instruction
    }

    /// Parses a build output line; nil unless it is a `STEP n/m: ...` line.
    public init?(line: String) {
        guard line.hasPrefix("STEP ") else { return nil }
        let rest = line.dropFirst(5)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let counts = rest[..<colon].split(separator: "/")
        guard counts.count == 2, let step = Int(counts[0]), let total = Int(counts[1]), step >= 1, total >= step else {
            return nil
        }
        self.init(step: step, total: total, instruction: rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// Fraction done, counting the current step as half done.
    public var fraction: Double { total == 0 ? 0 : (Double(step) - 0.5) / Double(total) }
}

/// One line of build output, with the progress known at that point and time since the start.
public struct PodmanBuildLine: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    public var progress: PodmanBuildProgress?
    public var elapsed: TimeInterval

    public init(text: String, isError: Bool = false, progress: PodmanBuildProgress? = nil, elapsed: TimeInterval) {
        self.text = text
        self.isError = isError
        self.progress = progress
        self.elapsed = elapsed
    }
}

/// How a build ended.
public enum PodmanBuildOutcome: Equatable, Sendable {
    /// Built and tagged `tag` (empty when the caller tags it later, as rebuild does).
    case succeeded(imageID: String, tag: String, duration: TimeInterval)
    /// `message` is podman's last error line, e.g. the Containerfile syntax error.
    case failed(exitCode: Int32, message: String, duration: TimeInterval)
    /// Cancelled: nothing was tagged.
    case cancelled(duration: TimeInterval)

    public var duration: TimeInterval {
        switch self {
        case .succeeded(_, _, let duration), .failed(_, _, let duration), .cancelled(let duration): duration
        }
    }

    public var imageID: String? {
        if case .succeeded(let imageID, _, _) = self { return imageID }
        return nil
    }
}

/// What a running build reports: lines as they come, then exactly one outcome.
public enum PodmanBuildUpdate: Equatable, Sendable {
    case line(PodmanBuildLine)
    case finished(PodmanBuildOutcome)
}

/// One line of the build history file (JSON lines in the state directory).
public struct PodmanBuildRecord: Equatable, Sendable, Codable {
    public enum Result: String, Equatable, Sendable, Codable {
        case succeeded, failed, cancelled
    }

    public var startedAt: Date
    public var duration: TimeInterval
    public var result: Result
    public var imageID: String?
    public var tag: String
    /// Failure message (podman's last error line), if any.
    public var message: String?

    public init(startedAt: Date, duration: TimeInterval, result: Result, imageID: String?, tag: String, message: String? = nil) {
        self.startedAt = startedAt
        self.duration = duration
        self.result = result
        self.imageID = imageID
        self.tag = tag
        self.message = message
    }

    public init(startedAt: Date, tag: String, outcome: PodmanBuildOutcome) {
        switch outcome {
        case .succeeded(let imageID, _, let duration):
            self.init(startedAt: startedAt, duration: duration, result: .succeeded, imageID: imageID, tag: tag)
        case .failed(_, let message, let duration):
            self.init(startedAt: startedAt, duration: duration, result: .failed, imageID: nil, tag: tag, message: message)
        case .cancelled(let duration):
            self.init(startedAt: startedAt, duration: duration, result: .cancelled, imageID: nil, tag: tag)
        }
    }
}
