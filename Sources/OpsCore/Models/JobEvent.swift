import Foundation

/// What a detached job tells the console, one JSON line each in its log beside the text an
/// operator reads. The console and `jobs attach` act on these; `jobs log` shows the text.
public enum JobEvent: Codable, Equatable, Sendable {
    /// A build reached `STEP step/total` (written before the step's own line).
    case progress(step: Int, total: Int, instruction: String)
    /// Rebuild phases, in the order they happen.
    case keepingPrevious(tag: String)
    case waitingForBackup(run: String)
    case replacing(container: String)
    case waitingForHealth(container: String, deadline: TimeInterval)
    /// The build's result: built and tagged (`tag` is empty for a rebuild's build, tagged later).
    case built(imageID: String, tag: String, duration: TimeInterval)
    case buildFailed(exitCode: Int32, message: String, duration: TimeInterval)
    case buildCancelled(duration: TimeInterval)
    /// A rebuild's or rollback's result.
    case replaced(container: String, imageID: String, healthy: Bool)
    case builtOnly(imageID: String)
    /// The health verdict against a new container, with the rollback on offer (nil: none).
    case notHealthy(container: String, imageID: String, reason: String, rollbackTo: String?)
    /// A restore loaded (or failed to load) one RDB file into its sidecar.
    case sidecarLoaded(service: String, succeeded: Bool, detail: String)
    /// A restore's outcome: nil problem when it succeeded.
    case restoreEnded(backupID: String, problem: String?)
    /// A verify's outcome: a summary of what was checked when it passed, else the problem.
    case verifyEnded(backupID: String, summary: String?, problem: String?)
    /// The job failed before any result of its own (podman or the scripts refused, say).
    case failed(message: String)
}

/// One line of a job's log: an event, or text for people.
public enum JobLogLine: Equatable, Sendable {
    case text(String)
    case event(JobEvent)

    /// The one decoder: an event line, or text (a line that only looks like an event, say
    /// from a newer program, stays text so nothing is lost).
    public init(_ line: String) {
        guard line.hasPrefix(Self.eventPrefix),
              let event = try? JSONDecoder().decode(JobEvent.self, from: Data(line.dropFirst(Self.eventPrefix.count).utf8))
        else {
            self = .text(line)
            return
        }
        self = .event(event)
    }

    /// The one encoder: the line a job writes for `event`.
    public static func encode(_ event: JobEvent) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding an enum of strings and numbers cannot fail.
        let json = (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return eventPrefix + json
    }

    /// Marks an event line; chosen so no podman, script or sentence line starts with it.
    public static let eventPrefix = "@opencode-ops-event "

    public var event: JobEvent? {
        if case .event(let event) = self { return event }
        return nil
    }
}
