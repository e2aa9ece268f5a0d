import ParleyTestSupport
import Testing

@testable import DiscordREST

/// Property test of the splitter over hostile text (issue 11). To stay within seconds on a debug
/// build, 249 inputs in 250 are short texts (≤ 12 `AdversarialText` pieces or scaled-down runs of
/// ≤ 40 scalars) split with a random limit of 1…40, so that each still gives several parts; one in
/// 250 is a generator string around a full long run (a fence "language" or a grapheme of up to
/// 5,000 scalars…) split at Discord's 2,000 or a random limit of 16…2,000.
/// Every split is checked:
/// - every part is non-empty and at most `limit` scalars;
/// - every part is exactly, scalar for scalar, [reopened fence line] + a range of the input's
///   scalars + [marker] + [closing fence line "\n```"]; the ranges ascend, and every input scalar
///   outside them is whitespace (dropped at a cut) — so the parts, with those added lines stripped,
///   concatenate back to the input but for the whitespace at the cuts (and, when capped by
///   `maxParts`, up to where the cap stopped, the last part then carrying the marker);
/// - an added reopening line "```lang\n" (lang without whitespace or backtick) follows exactly the
///   parts that got an added closing line, and with room for fences (limit ≥ 16) every part but
///   the last has balanced fences: an even number of lines starting with ```, counted here
///   independently of the splitter;
/// - a range ends inside a grapheme only when that grapheme alone is longer than the room the part
///   had for text, and begins inside one only where the previous part cut it;
/// - the public `split` returns the same parts (one case in 97).
@Suite struct MessageSplitterFuzzTests {
    static let inputs = 100_000
    static let marker = " […]"

    @Test func everyInputSplitsIntoPostablePartsThatGiveBackTheText() {
        var generator = AdversarialText(seed: 0x5117_7E12)
        var report = FuzzReport(name: "MessageSplitter.split")
        let clock = ContinuousClock()
        var slowestSplit = Duration.zero
        var splitting = Duration.zero
        var scalars = 0
        var parts = 0
        let started = clock.now
        for index in 0..<Self.inputs {
            let (text, limit) = Self.input(&generator, index)
            let maxParts = index % 8 == 1 ? 1 + generator.below(4) : Int.max
            let splitter = MessageSplitter(limit: limit)
            report.run(index) {
                var pieces: [MessageSplitter.Piece] = []
                let elapsed = clock.measure { pieces = splitter.pieces(text, maxParts: maxParts, marker: Self.marker) }
                slowestSplit = max(slowestSplit, elapsed)
                splitting += elapsed
                scalars += text.unicodeScalars.count
                parts += pieces.count
                return Self.check(text, pieces, limit: limit, maxParts: maxParts, index: index)
            }
            if index % 97 == 0 {
                let expected = splitter.pieces(text).map { Array($0.text.unicodeScalars) }
                #expect(splitter.split(text).map { Array($0.unicodeScalars) } == expected, "case \(index)")
            }
        }
        print(report)
        print(
            "fuzz MessageSplitter.split: \(scalars) scalars in \(parts) parts; slowest split alone "
                + "\(Self.milliseconds(slowestSplit)), all splits \(Self.milliseconds(splitting)), "
                + "whole test with checks \(Self.milliseconds(clock.now - started))")
        #expect(report.inputs == Self.inputs)
    }

    static func milliseconds(_ duration: Duration) -> String {
        "\((duration / .microseconds(1)).rounded() / 1_000) ms"
    }

    static func input(_ generator: inout AdversarialText, _ index: Int) -> (text: String, limit: Int) {
        guard index % 250 == 0 else { return (generator.shortString(maxPieces: 12, maxRun: 40), 1 + generator.below(40)) }
        let text = generator.string(maxPieces: 10) + generator.longRun() + generator.string(maxPieces: 10)
        return (text, index % 500 == 0 ? MessageLength.limit : 16 + generator.below(1_985))
    }

    /// Checks every invariant of one split; returns how many it checked.
    static func check(_ text: String, _ pieces: [MessageSplitter.Piece], limit: Int, maxParts: Int, index: Int) -> Int {
        let input = Array(text.unicodeScalars)
        let graphemes = Graphemes(text)
        let closing = Array("\n```".unicodeScalars)
        let marker = Array(Self.marker.unicodeScalars)
        var checked = 0
        func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
            checked += 1
            if !condition { Issue.record("case \(index) (limit \(limit)): \(what())") }
        }
        expect(pieces.count <= maxParts, "more parts than allowed")
        var covered = 0
        for (number, piece) in pieces.enumerated() {
            let part = Array(piece.text.unicodeScalars)
            expect(!part.isEmpty && part.count <= limit, "part \(number) has \(part.count) scalars")
            let added = Array(piece.marker.unicodeScalars)
            let expected = Array(piece.reopened.unicodeScalars) + input[piece.content] + added + (piece.closed ? closing : [])
            expect(part == expected, "part \(number) is not its range plus the added lines")
            expect(!piece.content.isEmpty, "part \(number) carries no text")
            expect(piece.content.lowerBound >= covered, "part \(number) overlaps the one before")
            expect(
                input[covered..<max(covered, piece.content.lowerBound)].allSatisfy(\.properties.isWhitespace),
                "text other than whitespace dropped before part \(number)")
            expect(added.isEmpty || (added == marker && number == maxParts - 1), "marker on a part not the last allowed")
            let previousClosed = number > 0 && pieces[number - 1].closed
            expect(piece.reopened.isEmpty != previousClosed, "part \(number): reopened without a close, or not after one")
            if !piece.reopened.isEmpty {
                let line = Array(piece.reopened.unicodeScalars)
                let language = line.dropFirst(3).dropLast()
                expect(
                    line.starts(with: "```".unicodeScalars) && line.last == "\n"
                        && !language.contains { $0.properties.isWhitespace || $0 == "`" }, "bad reopening line")
            }
            if number < pieces.count - 1, limit >= 16 {
                expect(fenceLines(piece.text) % 2 == 0, "part \(number) leaves a code block open")
            }
            // Graphemes: cut inside one only when it alone is longer than the room for text.
            let room = limit - piece.reopened.unicodeScalars.count - added.count - (piece.closed ? closing.count : 0)
            let end = piece.content.upperBound
            expect(
                graphemes.isBoundary(end) || graphemes.length(containing: end) > room,
                "part \(number) splits a grapheme that fits")
            expect(
                graphemes.isBoundary(piece.content.lowerBound) || piece.content.lowerBound == covered,
                "part \(number) starts inside a grapheme it did not continue")
            covered = end
        }
        let left = !input[covered...].allSatisfy(\.properties.isWhitespace)
        expect(!left || pieces.count == maxParts, "text lost after the last part")
        let markerFits = marker.count <= limit / 4
        expect(pieces.last.map { $0.marker.isEmpty != (left && markerFits) } ?? !left, "marker missing or needless")
        return checked
    }

    /// Lines whose first non-space characters are three backticks (lines split at every LF).
    static func fenceLines(_ text: String) -> Int {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.drop { $0 == " " }.starts(with: "```".unicodeScalars) }.count
    }

    /// The input's grapheme boundaries as scalar offsets, from Swift's own segmentation.
    struct Graphemes {
        private var starts: [Int] = [0]

        init(_ text: String) {
            for character in text { starts.append(starts[starts.count - 1] + character.unicodeScalars.count) }
        }

        func isBoundary(_ offset: Int) -> Bool { position(offset).found }

        /// The length of the grapheme that contains `offset` (not a boundary).
        func length(containing offset: Int) -> Int {
            let index = position(offset).index
            return starts[index] - starts[index - 1]
        }

        /// Binary search: where `offset` is, or the first boundary after it.
        private func position(_ offset: Int) -> (index: Int, found: Bool) {
            var low = 0
            var high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] < offset { low = mid + 1 } else { high = mid }
            }
            return (low, low < starts.count && starts[low] == offset)
        }
    }
}
