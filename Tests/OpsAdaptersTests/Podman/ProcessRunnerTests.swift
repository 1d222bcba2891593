import Foundation
import OpsAdapters
import Testing

/// The process runner every adapter uses: argument arrays, environment, streaming, cancel.
@Suite(.tags(.podman))
struct ProcessRunnerTests {
    let runner = ProcessRunner(environment: ["PATH": "/usr/bin:/bin", "OPS_PROCESS_TEST": "passed through"])

    @Test func runsWithArgumentsVerbatimAndCollectsOutput() async throws {
        // A shell would expand these; an argument array passes them as they are.
        let result = try await runner.run("printf", ["%s|%s\n", "$HOME; rm -rf x", "two words"])
        #expect(result.exitCode == 0)
        #expect(result.stdoutText == "$HOME; rm -rf x|two words\n")
    }

    @Test func passesTheEnvironmentAndReportsExitStatusAndStderr() async throws {
        let result = try await runner.run("sh", ["-c", "echo \"$OPS_PROCESS_TEST\"; echo oops >&2; exit 3"])
        #expect(result.exitCode == 3)
        #expect(result.stdoutText == "passed through\n")
        #expect(result.stderrText == "oops\n")
    }

    @Test func feedsInput() async throws {
        let result = try await runner.run("cat", [], input: Data("line one\nline two".utf8))
        #expect(result.stdoutText == "line one\nline two")
    }

    @Test func inputKeptOpenTakesWritesUntilClosedAndAWriteAfterTheEndThrows() async throws {
        let output = OutputLog()
        let process = try runner.startWithInput("sh", ["-c", "while read -r l; do echo \"got $l\"; done; echo eof"]) { _, chunk in
            output.append(chunk)
        }
        try process.writeInput(Data("one\n".utf8))
        try process.writeInput(Data("two\n".utf8))
        process.closeInput()
        #expect(await process.exitCode() == 0)
        #expect(output.text == "got one\ngot two\neof\n")
        // The reader is gone: the write fails instead of killing this process with SIGPIPE.
        #expect(throws: ProcessInputError.self) { try process.writeInput(Data("three\n".utf8)) }
    }

    @Test func streamsLinesAsTheyCome() async throws {
        let process = try runner.start("sh", ["-c", "echo first; sleep 0.3; echo second >&2; printf tail"])
        var lines: [ProcessOutputLine] = []
        for await line in process.output { lines.append(line) }
        // Each stream keeps its own order and source; across the two pipes only what the 0.3 s
        // pause separates has a fixed order ("second" and "tail" are written back to back).
        #expect(lines.filter { $0.source == .stdout }.map(\.text) == ["first", "tail"])
        #expect(lines.filter { $0.source == .stderr }.map(\.text) == ["second"])
        #expect(lines.first == ProcessOutputLine(source: .stdout, text: "first"))
        #expect(await process.exitCode() == 0)
    }

    @Test func manyLinesSplitAcrossReadsArriveWholeAndInOrder() async throws {
        // Far more than one 64 KiB read, so lines straddle read boundaries; one ends in \r\n.
        let process = try runner.start("sh", ["-c", "seq 1 100000; printf 'crlf\\r\\nno newline'"])
        var lines: [String] = []
        for await line in process.output { lines.append(line.text) }
        #expect(lines.count == 100_002)
        #expect(lines.prefix(100_000) == ArraySlice((1...100_000).map(String.init)))
        #expect(lines.suffix(2) == ["crlf", "no newline"])
    }

    @Test func terminateSendsSigtermThenSigkill() async throws {
        // The exit codes tell which signal ended each process; no clock is read, so a busy
        // machine cannot fail this.
        let polite = try runner.start("sleep", ["30"])
        polite.terminate(grace: 5)
        #expect(await polite.exitCode() == 128 + SIGTERM)

        // Ignores SIGTERM: only SIGKILL after the grace period ends it.
        let stubborn = try runner.start("sh", ["-c", "trap '' TERM; echo ready; sleep 30 & wait; sleep 30"])
        for await line in stubborn.output where line.text == "ready" { break }
        stubborn.terminate(grace: 0.5)
        #expect(await stubborn.exitCode() == 128 + SIGKILL)
    }

    @Test func cancellingTheCallerStopsTheProcess() async throws {
        let task = Task { try await runner.run("sleep", ["30"]) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        let result = try await task.value
        #expect(result.exitCode == 128 + SIGTERM, "the sleep was signalled, not waited for")
    }

    @Test func manyConcurrentProcessesAllFinish() async throws {
        let codes = try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<40 { group.addTask { try await runner.run("sh", ["-c", "exit \(index % 5)"]).exitCode } }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(codes.sorted() == (0..<40).map { Int32($0 % 5) }.sorted())
    }

    @Test func missingExecutableIsReported() async throws {
        await #expect(throws: ProcessLaunchError.executableNotFound("no-such-program-here")) {
            try await runner.run("no-such-program-here", [])
        }
        await #expect(throws: ProcessLaunchError.executableNotFound("/no/such/path")) {
            try await runner.run("/no/such/path", [])
        }
    }
}

/// Chunks a process wrote, collected from its reading threads.
private final class OutputLog: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
