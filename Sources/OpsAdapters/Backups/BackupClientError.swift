import OpsCore

/// A backup request that failed: the script's own words when it gave them, with its exit code.
public struct BackupClientError: Error, Equatable, Sendable {
    public var message: String
    /// The script's exit code (see BACKUPS.md), or -1 when podman itself failed.
    public var exitCode: Int

    public init(message: String, exitCode: Int = -1) {
        self.message = message
        self.exitCode = exitCode
    }

    init(_ failure: PodmanFailure) {
        self.init(message: failure.message)
    }
}
