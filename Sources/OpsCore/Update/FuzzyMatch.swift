/// Subsequence matching as in editors' command palettes: every query character must appear in
/// order. Matches at word starts and in runs score higher, and the query as a whole word scores
/// highest, so `the` finds "Next theme" before "Go to Health".
public enum FuzzyMatch {
    /// The score of `candidate` for `query`, or nil when it does not match. Higher is better.
    public static func score(_ candidate: String, query: String) -> Int? {
        let needle = Array(query.lowercased().filter { $0 != " " })
        guard !needle.isEmpty else { return 0 }
        let haystack = Array(candidate.lowercased())
        // Greedy matching from each possible first position; the best run wins.
        let starts = haystack.indices.filter { haystack[$0] == needle[0] }
        let best = starts.compactMap { greedyScore(haystack, needle, from: $0) }.max()
        guard let best else { return nil }
        return best + substringBonus(haystack, query.lowercased())
    }

    static func greedyScore(_ haystack: [Character], _ needle: [Character], from start: Int) -> Int? {
        var score = 0
        var index = 0
        var previousMatch = -2
        for position in start..<haystack.count where index < needle.count {
            guard haystack[position] == needle[index] else { continue }
            let atWordStart = position == 0 || !haystack[position - 1].isLetter
            score += 1 + (atWordStart ? 3 : 0) + (position == previousMatch + 1 ? 2 : 0)
            previousMatch = position
            index += 1
        }
        return index == needle.count ? score : nil
    }

    static func substringBonus(_ haystack: [Character], _ query: String) -> Int {
        let text = String(haystack)
        guard let range = text.range(of: query) else { return 0 }
        let atWordStart = range.lowerBound == text.startIndex || !text[text.index(before: range.lowerBound)].isLetter
        return atWordStart ? 20 : 10
    }

    /// `items` that match, best score first, ties kept in their original order.
    public static func rank<T>(_ items: [T], query: String, by text: (T) -> String) -> [T] {
        items.enumerated()
            .compactMap { offset, item in score(text(item), query: query).map { (offset, item, $0) } }
            .sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }
            .map(\.1)
    }
}
