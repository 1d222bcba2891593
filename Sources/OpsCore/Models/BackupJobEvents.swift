/// What a restore or verify job's events say about its end, read with its status.
public struct BackupJobEvents: Sendable {
    private var restoreProblem: String??
    private var verify: (summary: String?, problem: String?)?
    private var failure: String?

    public init() {}

    public mutating func read(_ event: JobEvent) {
        switch event {
        case .restoreEnded(_, let problem): restoreProblem = .some(problem)
        case .verifyEnded(_, let summary, let problem): verify = (summary, problem)
        case .failed(let message): failure = message
        default: break
        }
    }

    /// Nil when the restore job succeeded; else its own words for what failed.
    public func restoreProblem(_ status: JobStatus) -> String? {
        switch status.state {
        case .succeeded: return nil
        case .running, .abandoned:
            return "the \(status.kind.rawValue) job \(status.id) died without recording an end; see `opencode-ops jobs log \(status.id)`"
        case .failed:
            if let problem = restoreProblem ?? nil { return problem }
            return verify?.problem ?? failure ?? "exit \(status.exitCode ?? -1); see `opencode-ops jobs log \(status.id)`"
        }
    }

    /// A passed verify's summary, or why it did not pass.
    public func verifyResult(_ status: JobStatus) -> (summary: String?, problem: String?) {
        if let verify {
            if verify.problem == nil, status.state == .succeeded { return (verify.summary, nil) }
            if let problem = verify.problem { return (nil, problem) }
        }
        return (nil, restoreProblem(status) ?? "no result event")
    }

}
