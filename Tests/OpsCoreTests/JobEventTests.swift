import Foundation
import Testing
@testable import OpsCore

/// The job event protocol: each event's line as a job writes it, read back by the console's decoder.
@Suite(.tags(.jobs)) struct JobEventTests {
    /// Every event with the exact line a job writes for it: a renamed case or field fails here.
    static let lines: [(JobEvent, String)] = [
        (.progress(step: 2, total: 5, instruction: "RUN make"),
         #"{"progress":{"instruction":"RUN make","step":2,"total":5}}"#),
        (.keepingPrevious(tag: "localhost/oo/opencode:previous"),
         #"{"keepingPrevious":{"tag":"localhost/oo/opencode:previous"}}"#),
        (.waitingForBackup(run: "20250102T153000Z-1a2b"), #"{"waitingForBackup":{"run":"20250102T153000Z-1a2b"}}"#),
        (.replacing(container: "oo-opencode"), #"{"replacing":{"container":"oo-opencode"}}"#),
        (.waitingForHealth(container: "oo-opencode", deadline: 90),
         #"{"waitingForHealth":{"container":"oo-opencode","deadline":90}}"#),
        (.built(imageID: "0123456789abcdef", tag: "localhost/oo/opencode:latest", duration: 12.5),
         #"{"built":{"duration":12.5,"imageID":"0123456789abcdef","tag":"localhost/oo/opencode:latest"}}"#),
        (.buildFailed(exitCode: 1, message: "no such file \"busybox\"", duration: 3),
         #"{"buildFailed":{"duration":3,"exitCode":1,"message":"no such file \"busybox\""}}"#),
        (.buildCancelled(duration: 2), #"{"buildCancelled":{"duration":2}}"#),
        (.replaced(container: "oo-opencode", imageID: "0123456789abcdef", healthy: true),
         #"{"replaced":{"container":"oo-opencode","healthy":true,"imageID":"0123456789abcdef"}}"#),
        (.builtOnly(imageID: "0123456789abcdef"), #"{"builtOnly":{"imageID":"0123456789abcdef"}}"#),
        (.notHealthy(container: "oo-opencode", imageID: "0123456789abcdef", reason: "timed out", rollbackTo: "localhost/oo/opencode:previous"),
         #"{"notHealthy":{"container":"oo-opencode","imageID":"0123456789abcdef","reason":"timed out","rollbackTo":"localhost/oo/opencode:previous"}}"#),
        (.notHealthy(container: "oo-opencode", imageID: "0123456789abcdef", reason: "timed out", rollbackTo: nil),
         #"{"notHealthy":{"container":"oo-opencode","imageID":"0123456789abcdef","reason":"timed out"}}"#),
        (.sidecarLoaded(service: "valkey", succeeded: true, detail: "3 keys"),
         #"{"sidecarLoaded":{"detail":"3 keys","service":"valkey","succeeded":true}}"#),
        (.restoreEnded(backupID: "20250102T153000Z-1a2b", problem: nil), #"{"restoreEnded":{"backupID":"20250102T153000Z-1a2b"}}"#),
        (.restoreEnded(backupID: "20250102T153000Z-1a2b", problem: "falkordb: not loaded"),
         #"{"restoreEnded":{"backupID":"20250102T153000Z-1a2b","problem":"falkordb: not loaded"}}"#),
        (.verifyEnded(backupID: "20250102T153000Z-1a2b", summary: "12 files, 2 databases", problem: nil),
         #"{"verifyEnded":{"backupID":"20250102T153000Z-1a2b","summary":"12 files, 2 databases"}}"#),
        (.verifyEnded(backupID: "20250102T153000Z-1a2b", summary: nil, problem: "checksum mismatch"),
         #"{"verifyEnded":{"backupID":"20250102T153000Z-1a2b","problem":"checksum mismatch"}}"#),
        (.failed(message: "podman: no such image"), #"{"failed":{"message":"podman: no such image"}}"#),
    ]

    @Test(arguments: lines.indices) func eachEventIsWrittenAsItsLineAndReadBack(index: Int) {
        let (event, json) = Self.lines[index]
        let line = JobLogLine.encode(event)
        #expect(line == JobLogLine.eventPrefix + json)
        #expect(!line.contains("\n"))
        #expect(JobLogLine(line) == .event(event))
    }

    /// Names each case, so a case added to `JobEvent` does not compile here until it has a line above.
    static func caseName(_ event: JobEvent) -> String {
        switch event {
        case .progress: "progress"
        case .keepingPrevious: "keepingPrevious"
        case .waitingForBackup: "waitingForBackup"
        case .replacing: "replacing"
        case .waitingForHealth: "waitingForHealth"
        case .built: "built"
        case .buildFailed: "buildFailed"
        case .buildCancelled: "buildCancelled"
        case .replaced: "replaced"
        case .builtOnly: "builtOnly"
        case .notHealthy: "notHealthy"
        case .sidecarLoaded: "sidecarLoaded"
        case .restoreEnded: "restoreEnded"
        case .verifyEnded: "verifyEnded"
        case .failed: "failed"
        }
    }

    @Test func everyCaseHasALine() {
        #expect(Set(Self.lines.map { Self.caseName($0.0) }).count == 15)
    }

    @Test func textAndUnreadableEventLinesStayText() {
        #expect(JobLogLine("built 0123456789ab in 4 s") == .text("built 0123456789ab in 4 s"))
        #expect(JobLogLine("") == .text(""))
        let future = JobLogLine.eventPrefix + #"{"teleported":{"to":"mars"}}"#
        #expect(JobLogLine(future) == .text(future))
        let torn = JobLogLine.eventPrefix + #"{"built":{"imageID":"#
        #expect(JobLogLine(torn) == .text(torn))
    }
}

/// What the job's status records about its target, and old records without it.
@Suite(.tags(.jobs)) struct JobTargetTests {
    @Test func aRestoreAndAVerifyNameTheirBackupAndImageJobsOnlyTheirGroup() {
        #expect(JobRequest(kind: .restore, target: .backup(id: "b-1")).arguments == ["backup", "restore", "b-1", "--yes"])
        #expect(JobRequest(kind: .verify, target: .backup(id: "b-2")).auditTarget == "b-2")
        let rebuild = JobRequest(kind: .rebuild, target: .image(tag: "localhost/oo/opencode:latest"), waits: true)
        #expect(rebuild.arguments == ["rebuild", "--wait"])
        #expect(rebuild.auditTarget == "image")
        #expect(JobRequest(kind: .backup).auditTarget == "data")
    }

    @Test func theTargetSurvivesTheStatusFile() throws {
        let status = JobStatus(id: "restore-1", kind: .restore, arguments: ["backup", "restore", "b-1", "--yes"], user: "ops",
                               sshClient: nil, pid: 1, startedAt: Date(timeIntervalSince1970: 1_700_000_000), target: .backup(id: "b-1"))
        let read = try JSONDecoder().decode(JobStatus.self, from: JSONEncoder().encode(status))
        #expect(read == status)
        #expect(read.target?.backupID == "b-1")
    }

    @Test func aStatusWrittenBeforeTargetsExistedIsStillRead() throws {
        let old = #"{"id":"restore-1","kind":"restore","arguments":["backup","restore","b-1","--yes"],"user":"ops","pid":1,"startedAt":720000000,"state":"running"}"#
        let read = try JSONDecoder().decode(JobStatus.self, from: Data(old.utf8))
        #expect(read.id == "restore-1")
        #expect(read.target == nil)
    }
}

/// A restore's and a verify's end, from their events and status.
@Suite(.tags(.jobs)) struct BackupJobEventsTests {
    static func status(_ kind: JobKind, _ state: JobRunState, exit: Int32?) -> JobStatus {
        JobStatus(id: "\(kind.rawValue)-1", kind: kind, arguments: [], user: "ops", sshClient: nil, pid: 1,
                  startedAt: Date(timeIntervalSince1970: 1_700_000_000), state: state, exitCode: exit)
    }

    @Test func aRestoreEndsAsItsEventSays() {
        var events = BackupJobEvents()
        events.read(.sidecarLoaded(service: "falkordb", succeeded: false, detail: "refused"))
        events.read(.restoreEnded(backupID: "b-1", problem: "falkordb: refused"))
        #expect(events.restoreProblem(Self.status(.restore, .failed, exit: 1)) == "falkordb: refused")
        #expect(events.restoreProblem(Self.status(.restore, .succeeded, exit: 0)) == nil)
    }

    @Test func aRestoreThatFailedBeforeItsResultGivesTheFailureThenTheExit() {
        var events = BackupJobEvents()
        #expect(events.restoreProblem(Self.status(.restore, .failed, exit: 3)) == "exit 3; see `opencode-ops jobs log restore-1`")
        events.read(.failed(message: "another backup runs"))
        #expect(events.restoreProblem(Self.status(.restore, .failed, exit: 3)) == "another backup runs")
        #expect(events.restoreProblem(Self.status(.restore, .abandoned, exit: nil))?.contains("died without recording an end") == true)
    }

    @Test func aVerifyPassesOrFailsAsItsEventSays() {
        var passed = BackupJobEvents()
        passed.read(.verifyEnded(backupID: "b-1", summary: "12 files", problem: nil))
        #expect(passed.verifyResult(Self.status(.verify, .succeeded, exit: 0)) == ("12 files", nil))
        var failed = BackupJobEvents()
        failed.read(.verifyEnded(backupID: "b-1", summary: nil, problem: "checksum mismatch"))
        #expect(failed.verifyResult(Self.status(.verify, .failed, exit: 1)) == (nil, "checksum mismatch"))
        let silent = BackupJobEvents()
        #expect(silent.verifyResult(Self.status(.verify, .succeeded, exit: 0)) == (nil, "no result event"))
        #expect(silent.verifyResult(Self.status(.verify, .failed, exit: 1)).problem == "exit 1; see `opencode-ops jobs log verify-1`")
    }
}
