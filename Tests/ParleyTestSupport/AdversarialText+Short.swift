/// Cheaper shapes for fuzz loops that must try 100,000 inputs on a debug build: `string()` mixes
/// in long runs of 500–5,000 scalars one piece in 40, which dominates the time. These keep every
/// piece and every kind of long run, scaled down, so a small limit meets the same shapes.
extension AdversarialText {
    /// Up to `maxPieces` of the alphabet's pieces, now and then a short run (`shortRun`).
    public mutating func shortString(maxPieces: Int = 24, maxRun: Int = 60) -> String {
        var text = ""
        for _ in 0..<below(maxPieces + 1) {
            text += below(8) == 0 ? shortRun(maxLength: maxRun) : Self.pieces[below(Self.pieces.count)]
        }
        return text
    }

    /// `longRun()`'s shapes at 1…`maxLength` scalars: a fence "language", a grapheme of combining
    /// marks, a long word, spaces, line breaks, ZWJ emoji, zero-width spaces.
    public mutating func shortRun(maxLength: Int) -> String {
        let length = 1 + below(max(1, maxLength))
        switch below(7) {
        case 0: return "```" + String(repeating: "x", count: length)
        case 1: return "a" + String(repeating: "\u{0301}", count: length)
        case 2: return String(repeating: "w", count: length)
        case 3: return String(repeating: " ", count: length)
        case 4: return String(repeating: "\n", count: length)
        case 5: return String(repeating: "👩‍👩‍👧‍👦", count: 1 + length / 7)
        default: return String(repeating: "\u{200B}", count: length)
        }
    }
}
