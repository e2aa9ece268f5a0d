/// A thread's name made from the question that started it: one line, no markup or mentions
/// (`@`, `<`, `>` removed), no invisible or control characters, whitespace collapsed, at most
/// `limit` code points (Discord allows 1–100), cut at a word when it can be. One pass: linear.
enum ThreadName {
    static let limit = 100
    static let fallback = "Question"

    static func make(from question: String) -> String {
        var words = ""
        var length = 0
        var pendingSpace = false
        var lastSpace: String.Index?
        var truncated = false
        for character in question {
            let scalars = character.unicodeScalars
            if character.isWhitespace || scalars.contains(where: isLineOrControl) {
                pendingSpace = !words.isEmpty
                continue
            }
            // By scalar: a ">" with a combining mark on it is one character, still a ">".
            let kept = String(String.UnicodeScalarView(scalars.filter { !isInvisible($0) && !"@<>".unicodeScalars.contains($0) }))

            guard !kept.isEmpty else { continue }
            let added = kept.unicodeScalars.count + (pendingSpace ? 1 : 0)
            // Room for the "…" that marks a cut.
            if length + added > limit - 1 {
                truncated = true
                break
            }
            if pendingSpace {
                lastSpace = words.endIndex
                words.append(" ")
                pendingSpace = false
            }
            words.append(kept)
            length += added
        }
        guard !words.isEmpty else { return fallback }
        guard truncated else { return words }
        if let lastSpace, words.distance(from: words.startIndex, to: lastSpace) > limit / 2 {
            words = String(words[..<lastSpace])
        }
        return words + "…"
    }

    private static func isLineOrControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// Zero-width and bidi characters: they would hide or reorder the name's text.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format
    }
}
