import Testing
@testable import OpsCore

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        "docker.io/falkordb/falkordb-server:latest", "valkey/valkey", "localhost/opencode-server:latest",
        "registry.example.com:5000/team/app:1.2.3", "busybox@sha256:" + String(repeating: "a", count: 64),
        "quay.io/x/y:v1@sha256:" + String(repeating: "0", count: 64),
    ])
    func acceptsReferences(_ text: String) {
        #expect(ImageReference.problem(text) == nil, "\(text)")
    }

    @Test(arguments: ["--help", "-v", "", "busy box", "Upper/Case", "name:", "name@sha256:xyz", "a//b", "x:tag\nmore", "repo/:tag"])
    func refusesWhatIsNoReference(_ text: String) {
        #expect(ImageReference.problem(text) != nil, "\(text.debugDescription)")
    }

    @Test func optionLikeValueIsExplained() throws {
        let problem = try #require(ImageReference.problem("--help"))
        #expect(problem.contains("would be read as an option"))
        #expect(problem.contains("name[:tag][@digest]"))
    }
}
