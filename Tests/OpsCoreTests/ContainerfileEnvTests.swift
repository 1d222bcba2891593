import Testing
@testable import OpsCore

@Suite struct ContainerfileEnvTests {
    @Test func readsEveryFormWithLineNumbers() {
        let text = """
        ARG BASE_IMAGE=node:20-slim
        FROM ${BASE_IMAGE}
        # ENV COMMENTED=1
        ENV FALKORDB_HOST=localhost FALKORDB_PORT=6379 \\
            VALKEY_HOST=localhost
        env LEGACY some value here
        ENV QUOTED="two words" SINGLE='a b' ESCAPED=a\\ b
        ENV FALKORDB_PORT=6390
        """
        let variables = ContainerfileEnv.parse(text)
        let byName = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0) })
        #expect(byName["FALKORDB_HOST"]?.value == "localhost")
        #expect(byName["FALKORDB_HOST"]?.line == 4)
        #expect(byName["VALKEY_HOST"]?.line == 4)
        #expect(byName["LEGACY"]?.value == "some value here")
        #expect(byName["QUOTED"]?.value == "two words")
        #expect(byName["SINGLE"]?.value == "a b")
        #expect(byName["ESCAPED"]?.value == "a b")
        // A later ENV wins, as in the built image.
        #expect(byName["FALKORDB_PORT"]?.value == "6390")
        #expect(byName["FALKORDB_PORT"]?.line == 8)
        #expect(byName["COMMENTED"] == nil)
    }

    @Test func noEnvMeansNoVariables() {
        #expect(ContainerfileEnv.parse("FROM scratch\nRUN true\n").isEmpty)
    }
}
