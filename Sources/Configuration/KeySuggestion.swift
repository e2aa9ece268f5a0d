/// Finds the valid key a typo most likely meant, for "did you mean 'x'?" hints.
enum KeySuggestion {
    /// The closest candidate by edit distance (at most 2), or one that the key is a prefix of
    /// (or the other way round); nil when nothing is close enough to be a helpful guess.
    static func closest(to key: String, in candidates: [String]) -> String? {
        let normalizedKey = normalize(key)
        // camelCase, dashes and case differences: `maxTokens`, `max-tokens`, `Max_Tokens`.
        if let exact = candidates.first(where: { normalize($0) == normalizedKey }) {
            return exact
        }
        let lowered = key.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate)
            guard distance <= 2, distance < lowered.count else { continue }
            if best == nil || distance < best!.distance {
                best = (candidate, distance)
            }
        }
        if let best { return best.candidate }
        // A prefix needs a few characters to mean something: "a" prefixes half the keys.
        guard lowered.count >= 3 else { return nil }
        return candidates.first { $0.hasPrefix(lowered) || (lowered.hasPrefix($0) && $0.count >= 3) }
    }

    /// Lowercase with `_` and `-` removed, so spellings of the same words compare equal.
    private static func normalize(_ key: String) -> String {
        String(key.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Levenshtein distance over characters; keys are short, so the O(n·m) table is fine.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
