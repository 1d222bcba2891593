import Testing
@testable import OpsCore

@Suite struct FuzzyMatchTests {
    @Test func subsequenceMatchesAndOthersDoNot() {
        #expect(FuzzyMatch.score("Next theme", query: "nxt") != nil)
        #expect(FuzzyMatch.score("Next theme", query: "tn") == nil)
        #expect(FuzzyMatch.score("anything", query: "") == 0)
    }

    @Test func wordStartsBeatScatteredLetters() {
        let ranked = FuzzyMatch.rank(["Go to Health", "Next theme"], query: "theme", by: { $0 })
        #expect(ranked.first == "Next theme")
        let initials = FuzzyMatch.rank(["Page down", "Go to Build & Logs"], query: "gb", by: { $0 })
        #expect(initials.first == "Go to Build & Logs")
    }

    @Test func tiesKeepTheirOrder() {
        #expect(FuzzyMatch.rank(["b a", "c a"], query: "a", by: { $0 }) == ["b a", "c a"])
    }
}
