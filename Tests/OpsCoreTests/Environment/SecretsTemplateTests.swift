import OpsCore
import Testing

@Suite struct SecretsTemplateTests {
    @Test func listsEveryCatalogueVariableOnceWithAComment() throws {
        let text = SecretsTemplate.render(generated: ["OPENCODE_SERVER_PASSWORD": "pw1", "FALKORDB_PASSWORD": "pw2", "VALKEY_PASSWORD": "pw3"])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for spec in EnvCatalogue.variables {
            let index = try #require(lines.firstIndex { $0.hasPrefix("\(spec.name)=") || $0 == "# \(spec.name)=" }, "\(spec.name) missing")
            #expect(lines[index - 1].hasPrefix("# ") && lines[index - 1].contains("Needed by: \(spec.neededBy)."), "\(spec.name) has no comment")
        }
        for group in EnvCatalogue.groups { #expect(lines.contains("## \(group.title)")) }
        // The parsed file sets exactly the generated passwords, nothing else.
        let parsed = try EnvFile.parse(text, path: "secrets.env")
        #expect(Set(parsed.keys) == Set(EnvCatalogue.generatedSecrets))
        #expect(parsed.value(for: "FALKORDB_PASSWORD") == "pw2")
    }

    @Test func passwordsAreLongAndPlain() {
        var generator = SystemRandomNumberGenerator()
        let first = SecretsTemplate.password(using: &generator)
        let second = SecretsTemplate.password(using: &generator)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(first.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }
}
