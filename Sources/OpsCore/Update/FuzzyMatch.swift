/// Subsequence matching as in editors' command palettes: every query character must appear in
/// order; matches at word starts and in runs score higher.
public enum FuzzyMatch {
    /// The score of `candidate` for `query`, or nil when it does not match. Higher is better.
    public static func score(_ candidate: String, query: String) -> Int? {
        let needle = Array(query.lowercased().filter { $0 != " " })
        guard !needle.isEmpty else { return 0 }
        let haystack = Array(candidate.lowercased())
        var score = 0
        var index = 0
        var previousMatch = -2
        for (position, character) in haystack.enumerated() where index < needle.count {
            guard character == needle[index] else { continue }
            let atWordStart = position == 0 || !haystack[position - 1].isLetter
            score += 1 + (atWordStart ? 3 : 0) + (position == previousMatch + 1 ? 2 : 0)
            previousMatch = position
            index += 1
        }
        return index == needle.count ? score : nil
    }

    /// `items` that match, best score first, ties kept in their original order.
    public static func rank<T>(_ items: [T], query: String, by text: (T) -> String) -> [T] {
        items.enumerated()
            .compactMap { offset, item in score(text(item), query: query).map { (offset, item, $0) } }
            .sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }
            .map(\.1)
    }
}
