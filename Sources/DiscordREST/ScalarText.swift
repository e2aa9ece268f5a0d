/// A text as Unicode scalars with its grapheme-cluster boundaries, computed in one pass so that
/// every question the splitter asks later (where is the last boundary before here, how long is
/// this grapheme, is this a line break) costs O(1) — no part re-reads the text before it.
struct ScalarText {
    let scalars: [Unicode.Scalar]
    /// `previous[i]`: the last grapheme boundary at or before scalar offset `i` (0...count).
    private let previous: [Int]
    /// `next[i]`: the first grapheme boundary at or after scalar offset `i`.
    private let next: [Int]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var previous = [Int](repeating: 0, count: scalars.count + 1)
        var next = previous
        var offset = 0
        for character in text {
            let end = offset + character.unicodeScalars.count
            for index in offset..<end { previous[index] = offset }
            next[offset] = offset
            for index in (offset + 1)...end { next[index] = end }
            offset = end
        }
        previous[offset] = offset
        next[offset] = offset
        self.previous = previous
        self.next = next
    }

    var count: Int { scalars.count }

    func isBoundary(_ offset: Int) -> Bool { previous[offset] == offset }
    func boundary(atOrBefore offset: Int) -> Int { previous[offset] }
    func boundary(atOrAfter offset: Int) -> Int { next[offset] }
    /// The end of the grapheme that starts at boundary `offset` (< count).
    func graphemeEnd(from offset: Int) -> Int { next[offset + 1] }

    func string(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    // MARK: Whitespace and breaks (whole graphemes only)

    /// The length of the whitespace grapheme (a space, a line break, CR LF, U+3000…) starting at
    /// `offset`, or 0. Whitespace graphemes are at most two scalars, so this is O(1).
    func whitespaceLength(at offset: Int) -> Int {
        guard offset < count, isBoundary(offset) else { return 0 }
        let end = graphemeEnd(from: offset)
        for index in offset..<end where !scalars[index].properties.isWhitespace { return 0 }
        return end - offset
    }

    /// `offset` moved past whitespace graphemes, up to `limit`.
    func skippingWhitespace(from offset: Int, to limit: Int) -> Int {
        var offset = offset
        while offset < limit {
            let length = whitespaceLength(at: offset)
            guard length > 0 else { break }
            offset += length
        }
        return offset
    }

    /// `end` moved back over whitespace graphemes, not below `start`.
    func trimmingWhitespace(from start: Int, to end: Int) -> Int {
        var end = end
        while end > start, isBoundary(end) {
            let begin = previous[end - 1]
            guard begin >= start, whitespaceLength(at: begin) == end - begin else { break }
            end = begin
        }
        return end
    }

    /// The length of the line break (LF, CR or CR LF) at boundary `offset`, or 0.
    func lineBreakLength(at offset: Int) -> Int {
        guard offset < count, isBoundary(offset), scalars[offset] == "\n" || scalars[offset] == "\r" else { return 0 }
        return graphemeEnd(from: offset) - offset
    }

    /// Whether a lone space grapheme starts at `offset`.
    func isSpace(at offset: Int) -> Bool {
        offset < count && scalars[offset] == " " && whitespaceLength(at: offset) == 1
    }
}
