import Testing
@testable import OpsCore

/// A malformed secrets line is reported by file, line and variable, and the value never
/// appears in the message (it is most likely a secret typed with the wrong separator).
@Suite struct EnvFileErrorTests {
    static let secret = "sk-live-0123456789abcdef"

    @Test(arguments: [
        ("A=1\nDD_API_KEY: \(secret)\n", 2, "DD_API_KEY"),
        ("DD_API_KEY \(secret)\n", 1, "DD_API_KEY"),
        ("X=1\n\nexport GITHUB_PAT=\(secret)\n", 3, "GITHUB_PAT"),
        ("B2_KEY \(secret)=x\n", 1, "B2_KEY"),
        ("TOKEN:\(secret)=\n", 1, "TOKEN"),
    ])
    func errorNamesFileLineAndVariableButNotTheValue(text: String, line: Int, variable: String) {
        do {
            _ = try EnvFile.parse(text, path: "/etc/ops/secrets.env")
            Issue.record("parsed a malformed line")
        } catch {
            #expect(error.line == line)
            #expect(error.variable == variable)
            #expect(error.message.hasPrefix("/etc/ops/secrets.env:\(line): variable \(variable): "), "\(error.message)")
            #expect(!error.message.contains(Self.secret), "\(error.message)")
            #expect(!error.message.contains(String(Self.secret.prefix(6))), "\(error.message)")
        }
    }
}
