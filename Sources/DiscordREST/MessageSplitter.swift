/// Splits a reply into Discord messages of at most `limit` Unicode scalars (Discord counts code
/// points: see `MessageLength`). Cuts prefer a paragraph break, then a line break, a sentence end,
/// a space, and fall between grapheme clusters so an emoji or a letter with its combining marks
/// stays whole — unless one grapheme alone is longer than a part, which is then cut between
/// scalars (the only way to post it). A code block cut in two is closed and reopened in the next
/// part with its language, or without it when the language would not leave room.
///
/// Every input terminates in time linear in its length (for a fixed limit): the text is read
/// once into `ScalarText`, nothing rescans it from the start, and each part costs O(limit) and
/// advances by at least a third of its window (see `cut`). A window is short only when it ends
/// before a grapheme that does not fit the rest of it; each following part shrinks the gap by a
/// third at least, so such runs are O(log limit) parts. Whitespace dropped at a cut is the only
/// text that is not posted (and, with `maxParts`, what follows the last part).
public struct MessageSplitter: Sendable {
    public let limit: Int

    public init(limit: Int = MessageLength.limit) { self.limit = max(1, limit) }

    /// The parts to post, in order.
    public func split(_ text: String) -> [String] { pieces(text).map(\.text) }

    /// At most `maxParts` parts; when text is left over, the last part ends with `marker` (it fits:
    /// the part is cut shorter for it).
    public func split(_ text: String, maxParts: Int, marker: String = " […]") -> [String] {
        pieces(text, maxParts: maxParts, marker: marker).map(\.text)
    }

    /// One part: `reopened` (a fence line the splitter added), the input's scalars `content`,
    /// `marker` (the caller's, on the last part when text was left over and a quarter of a part
    /// holds it, else ""), and `closed` when the splitter added a closing fence line.
    struct Piece: Equatable {
        var text: String
        var reopened: String
        var content: Range<Int>
        var marker: String
        var closed: Bool
    }

    static let closingFence = "\n```"

    func pieces(_ input: String, maxParts: Int = .max, marker: String = "") -> [Piece] {
        let source = ScalarText(input)
        let end = source.trimmingWhitespace(from: 0, to: source.count)
        let marker = MessageLength.count(marker) <= limit / 4 ? marker : ""
        var pieces: [Piece] = []
        var start = source.skippingWhitespace(from: 0, to: end)
        var open: String? // the language of the block the previous part closed
        while start < end, pieces.count < maxParts {
            let carried = open.map(reopenable)
            let reopened = carried.map { "```\($0)\n" } ?? ""
            var budget = limit - MessageLength.count(reopened)
            if end - start <= budget {
                pieces.append(
                    Piece(
                        text: reopened + source.string(start..<end), reopened: reopened,
                        content: start..<end, marker: "", closed: false))
                break
            }
            let added = pieces.count == maxParts - 1 ? marker : ""
            budget -= MessageLength.count(added)
            var cut = self.cut(source, from: start, budget: budget, graphemes: budget)
            var stillOpen = fencesFit ? source.openFence(carried, from: start, to: cut) : nil
            if stillOpen != nil { // room for the closing fence, without cutting a grapheme the part holds
                cut = self.cut(source, from: start, budget: budget - MessageLength.count(Self.closingFence), graphemes: budget)
                stillOpen = source.openFence(carried, from: start, to: cut)
                let whole = source.boundary(atOrAfter: cut)
                if stillOpen == nil, whole != cut, whole - start <= budget,
                    source.openFence(carried, from: start, to: whole) == nil
                {
                    cut = whole // the grapheme was cut for a fence the part turned out not to need
                }
            }
            let content = start..<source.trimmingWhitespace(from: start, to: cut)
            let closing = stillOpen == nil ? "" : Self.closingFence
            pieces.append(
                Piece(
                    text: reopened + source.string(content) + added + closing, reopened: reopened,
                    content: content, marker: added, closed: stillOpen != nil))
            open = stillOpen
            start = source.skippingWhitespace(from: cut, to: end)
        }
        return pieces
    }

    /// Whether a part has room to close a code block and reopen it: the fence lines may take at
    /// most half of a part, so every part keeps at least a quarter of the limit for text (with
    /// the marker), and the split always advances.
    private var fencesFit: Bool { limit / 2 >= 8 }

    /// The language a reopened block gets: its own, or none when the fence lines would take more
    /// than half a part (a "language" of 2,000 letters is a model's run-on, not a language).
    private func reopenable(_ language: String) -> String {
        MessageLength.count("```\n") + MessageLength.count(language) + MessageLength.count(Self.closingFence) <= limit / 2
            ? language : ""
    }

    /// Where the part starting at `start` ends, within `budget` (≥ 1) scalars: the last
    /// paragraph break, line break, sentence end or space in the window's last two thirds, else
    /// the window's end (a grapheme boundary), else — when the next grapheme alone is longer than
    /// `graphemes` (the most any part here could give it) or no boundary is in the window —
    /// `start + budget`, between two scalars of that grapheme. Always `> start`; reads at most
    /// the window.
    func cut(_ source: ScalarText, from start: Int, budget: Int, graphemes: Int) -> Int {
        let window = source.boundary(atOrBefore: min(start + budget, source.count))
        if window <= start || (window < source.count && source.graphemeEnd(from: window) - window > graphemes) {
            return start + budget
        }
        let lowest = start + max(1, (window - start) / 3) // never a tiny part to honour a boundary
        var line: Int?
        var sentence: Int?
        var space: Int?
        var offset = window
        while offset >= lowest {
            let lineBreak = source.lineBreakLength(at: offset)
            if lineBreak > 0 {
                if source.lineBreakLength(at: offset + lineBreak) > 0 { return offset } // paragraph
                if line == nil { line = offset }
            } else if source.isSpace(at: offset) {
                if sentence == nil, ".!?".unicodeScalars.contains(source.scalars[offset - 1]), source.isBoundary(offset - 1) {
                    sentence = offset
                }
                if space == nil { space = offset }
            }
            offset -= 1
        }
        return line ?? sentence ?? space ?? window
    }
}
