import Foundation
import Timing

/// A seeded generator of hostile text: what users, cards and models can send. Every fuzz test
/// draws from the same alphabet, so a shape that breaks one loop is tried against all of them.
/// Deterministic per seed (SplitMix64), so a failing case is reproduced by its seed and index.
public struct AdversarialText: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (bound > 0).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Pieces that have broken (or could break) a text loop: structure markers, every line break,
    /// invisible and format characters, non-ASCII spaces, combining marks, ZWJ emoji, fences.
    public static let pieces: [String] = [
        "a", "word", "Hello", " ", "  ", "\t", ".", "!", "?", ",", ":", "é", "ß", "日本語", "🙂",
        "\n", "\n\n", "\r\n", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}",
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}", "\u{2060}", "\u{00AD}",
        "\u{200E}", "\u{200F}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}",
        "\u{00A0}", "\u{3000}", "\u{2003}", "\u{202F}",
        "\u{0301}", "\u{0301}\u{0302}\u{0303}", "e\u{0301}",
        "👩‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇫🇷",
        "```", "```swift\n", "\n```\n", "`", "``", "~~~",
        "### Response:", "### Instruction:", "### Input:", "###", "##", "#",
        "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<start_of_turn>", "<end_of_turn>",
        "<s>", "</s>", "[INST]", "[/INST]", "<<SYS>>", "<</SYS>>", "<bos>", "<eos>", "<pad>",
        "<", ">", "|", "\\", "\\<|im_start|>", "[", "]",
        "User:", "Assistant:", "Mira:", "{{user}}", "{{char}}", "{user}", "<@123456789012345678>",
        "@everyone", "@here", "http://example.invalid/x", "*", "_", "~", "\"", "'",
    ]

    /// Long runs that push a budget: a fence "language" with no space or backtick, a grapheme with
    /// thousands of combining marks, a word longer than any part, a line of spaces.
    public mutating func longRun() -> String {
        let length = 500 + below(4_500)
        switch below(7) {
        case 0: return "```" + String(repeating: "x", count: length)
        case 1: return "a" + String(repeating: "\u{0301}", count: length)
        case 2: return String(repeating: "w", count: length)
        case 3: return String(repeating: " ", count: length)
        case 4: return String(repeating: "\n", count: length / 10)
        case 5: return String(repeating: "👩‍👩‍👧‍👦", count: length / 20)
        default: return String(repeating: "\u{200B}", count: length)
        }
    }

    /// One hostile string: up to `maxPieces` pieces, now and then a long run.
    public mutating func string(maxPieces: Int = 60) -> String {
        var text = ""
        let count = below(maxPieces + 1)
        for _ in 0..<count {
            if below(40) == 0 {
                text += longRun()
            } else {
                text += Self.pieces[below(Self.pieces.count)]
            }
        }
        return text
    }

    /// Arbitrary scalars (valid ones), for parsers that must not trust their input at all.
    public mutating func scalars(maxCount: Int = 200) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<below(maxCount + 1) {
            let raw = UInt32(below(0x11_0000))
            scalars.append(Unicode.Scalar(raw) ?? "?")
        }
        return String(scalars)
    }

    /// Arbitrary bytes.
    public mutating func bytes(maxCount: Int = 512) -> [UInt8] {
        (0..<below(maxCount + 1)).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// Runs a bounded fuzz loop and reports what it tried. Each case is timed so a superlinear path
/// shows as a slow case (the report prints it); the count and the time bound keep it in `make test`.
public struct FuzzReport: Sendable, CustomStringConvertible {
    public let name: String
    public private(set) var inputs = 0
    public private(set) var invariantsChecked = 0
    public private(set) var slowest: Duration = .zero
    public private(set) var slowestIndex = -1

    public init(name: String) { self.name = name }

    /// Times `body` for case `index`; `body` returns how many invariants it checked.
    public mutating func run(_ index: Int, _ body: () throws -> Int) rethrows {
        let clock = ContinuousClock()
        var checked = 0
        let elapsed = try clock.measure { checked = try body() }
        inputs += 1
        invariantsChecked += checked
        if elapsed > slowest {
            slowest = elapsed
            slowestIndex = index
        }
    }

    /// `run` for a body that awaits (the prompt builder counts tokens asynchronously).
    public mutating func run(_ index: Int, _ body: () async throws -> Int) async rethrows {
        let clock = ContinuousClock()
        let start = clock.now
        let checked = try await body()
        let elapsed = clock.now - start
        inputs += 1
        invariantsChecked += checked
        if elapsed > slowest {
            slowest = elapsed
            slowestIndex = index
        }
    }

    public var slowestMilliseconds: Double { slowest.inMilliseconds }

    public var description: String {
        "fuzz \(name): \(inputs) inputs, \(invariantsChecked) invariants checked, slowest case #\(slowestIndex) "
            + String(format: "%.2f ms", slowestMilliseconds)
    }
}
