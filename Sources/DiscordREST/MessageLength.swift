/// Discord's limit on a message's content, and how it is measured: in Unicode scalars (code
/// points), as its Python API counts them — not Swift `Character`s (one family emoji is one
/// Character but seven scalars). The one home of that limit: the splitter and live edits use it.
public enum MessageLength {
    /// The most scalars one message's content may have.
    public static let limit = 2_000

    /// The length of `text` as Discord counts it.
    public static func count(_ text: some StringProtocol) -> Int { text.unicodeScalars.count }

    /// The longest prefix of `text` of at most `budget` scalars that ends between grapheme
    /// clusters. When the first grapheme alone is longer than `budget` (a letter with thousands of
    /// combining marks), its first `budget` scalars: the only way such a text can be shown at all.
    /// Reads at most `budget` scalars plus one grapheme.
    public static func prefix(_ text: some StringProtocol, fitting budget: Int) -> String {
        guard budget > 0 else { return "" }
        var used = 0
        var end = text.startIndex
        for character in text {
            let size = character.unicodeScalars.count
            if used + size > budget { break }
            used += size
            end = text.index(after: end)
        }
        if end == text.startIndex, !text.isEmpty {
            return String(String.UnicodeScalarView(text.unicodeScalars.prefix(budget)))
        }
        return String(text[..<end])
    }
}
