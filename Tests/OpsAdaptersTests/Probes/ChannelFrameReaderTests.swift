import Foundation
@testable import OpsAdapters
import Testing

/// The channel's answers as the loop writes them, read back whatever the chunking.
@Suite(.tags(.probes))
struct ChannelFrameReaderTests {
    static func answer(_ nonce: String, stdout: String, status: Int32, stderr: String) -> Data {
        Data("@ops \(nonce)\n\(stdout)\n@ops \(nonce) \(status)\n\(stderr)\n@ops \(nonce) .\n".utf8)
    }

    @Test func answersReadTheSameSplitAtEveryByte() {
        // Output that looks like markers, but without the request's nonce, is output.
        let stdout = "line\n@ops other 0\n@ops 9f .\nno newline at the end"
        let bytes = Self.answer("9f3a", stdout: stdout, status: 3, stderr: "warn\n") + Self.answer("77", stdout: "", status: 0, stderr: "")
        var reader = ChannelFrameReader()
        var frames: [ChannelFrameReader.Frame] = []
        for byte in bytes { frames += reader.feed(Data([byte])) }
        #expect(frames == [
            .answer(nonce: "9f3a", result: ProcessResult(exitCode: 3, stdout: Data(stdout.utf8), stderr: Data("warn\n".utf8))),
            .answer(nonce: "77", result: ProcessResult(exitCode: 0, stdout: Data(), stderr: Data())),
        ])
    }

    @Test func aCutShortAnswerIsNoAnswer() {
        var reader = ChannelFrameReader()
        let whole = Self.answer("ab", stdout: "PONG\n", status: 0, stderr: "")
        #expect(reader.feed(whole.dropLast(3)).isEmpty)
    }

    @Test func somethingElseIsGarbage() {
        var reader = ChannelFrameReader()
        let frames = reader.feed(Data("sh: 1: syntax error\n".utf8))
        guard case .garbage(let text)? = frames.first else {
            Issue.record("expected garbage, got \(frames)")
            return
        }
        #expect(text.hasPrefix("sh: 1: syntax error"))
    }

    @Test func requestsQuoteEveryWordAndKeepSecretsOffTheCommandLine() throws {
        let line = try ChannelScript.request(nonce: "n1", arguments: ["redis-cli", "it's", "a\nb"], environment: ["REDISCLI_AUTH": "p'w"])
        #expect(line == "n1 REDISCLI_AUTH='p'\\''w' $w 'redis-cli' 'it'\\''s' 'a'\"$nl\"'b'\n")
        #expect(throws: ContainerChannelError.self) {
            try ChannelScript.request(nonce: "n2", arguments: ["true"], environment: ["BAD NAME": "x"])
        }
    }
}
