/// Where a reply that reached the token limit should end, so it is never posted mid-word: after
/// its last complete sentence when that keeps most of it, else at its last word boundary with
/// "…". One forward pass over the Unicode scalars, linear whatever the text.
public enum SentenceEnd {
    static let terminators: Set<Unicode.Scalar> = [".", "!", "?", "…", "‼", "⁇", "⁈", "⁉", "。", "！", "？", "｡"]
    /// Full-width terminators end a sentence without a following space (CJK text has none).
    static let fullWidth: Set<Unicode.Scalar> = ["。", "！", "？", "｡"]
    /// What may follow a terminator within its sentence: quotes, brackets, Markdown emphasis.
    static let closers: Set<Unicode.Scalar> = ["\"", "'", "”", "’", "»", ")", "]", "}", "*", "_", "~", "`", "」", "』", "）"]

    /// `text` cut after its last sentence end when that keeps at least `minimumShare` of its
    /// scalars; else cut at its last whitespace with "…" appended; unchanged when it already ends
    /// a sentence.
    public static func cut(_ text: String, minimumShare: Double = 0.5) -> String {
        let scalars = Array(text.unicodeScalars)
        var end = scalars.count
        while end > 0, scalars[end - 1].properties.isWhitespace { end -= 1 }
        guard end > 0 else { return "" }
        var lastCut: Int?
        var i = 0
        while i < end {
            guard terminators.contains(scalars[i]) else {
                i += 1
                continue
            }
            var j = i + 1
            var wide = fullWidth.contains(scalars[i])
            while j < end, terminators.contains(scalars[j]) || closers.contains(scalars[j]) {
                wide = wide || fullWidth.contains(scalars[j])
                j += 1
            }
            if j == end || wide || scalars[j].properties.isWhitespace { lastCut = j }
            i = j
        }
        func prefix(_ n: Int) -> String { String(String.UnicodeScalarView(scalars[..<n])) }
        if lastCut == end { return prefix(end) }
        if let lastCut, Double(lastCut) >= minimumShare * Double(end) { return prefix(lastCut) }
        var word = end
        while word > 0, !scalars[word - 1].properties.isWhitespace { word -= 1 }
        var kept = word
        while kept > 0, scalars[kept - 1].properties.isWhitespace { kept -= 1 }
        // One long word (or text without spaces): nothing better than to mark the cut.
        return (kept > 0 ? prefix(kept) : prefix(end)) + "…"
    }
}
