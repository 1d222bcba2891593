import Foundation
import OpsCore

/// Writes an event line for the console when this process runs as a detached job (`job-run`);
/// run by hand, a subcommand prints only its text.
func emitEvent(_ event: JobEvent) {
    guard CommandAudit.inJob else { return }
    FileHandle.standardOutput.write(Data((JobLogLine.encode(event) + "\n").utf8))
}
