/// Finds stop strings in streamed text, across token boundaries, without ever emitting any part of
/// a stop string: text that could still become the start of one is held back until it can't.
///
/// Matching is literal, on Unicode scalars (a token can end inside a grapheme, and "\r\n" is one
/// Character that still ends a line), with one Knuth–Morris–Pratt automaton per stop string: each
/// scalar costs amortised O(number of stops) however the text is split, and the result depends
/// only on the text, never on how it was cut into pieces. When several stops match, the one that
/// ends first wins (the earliest moment generation could have stopped), the longest on a tie.
public struct StopMatcher: Sendable {
    private struct Pattern: Sendable {
        let scalars: [Unicode.Scalar]
        /// `failure[i]`: length of the longest proper prefix of `scalars[0...i]` that is also its suffix.
        let failure: [Int]

        init(_ stop: String) {
            scalars = Array(stop.unicodeScalars)
            var failure = [Int](repeating: 0, count: scalars.count)
            var k = 0
            for i in scalars.indices.dropFirst() {
                while k > 0, scalars[i] != scalars[k] { k = failure[k - 1] }
                if scalars[i] == scalars[k] { k += 1 }
                failure[i] = k
            }
            self.failure = failure
        }
    }

    private let patterns: [Pattern]
    /// Per stop: how many of its first scalars the end of the text matches.
    private var states: [Int]
    /// Text not emitted yet: at most the longest matched prefix of any stop.
    private var pending: [Unicode.Scalar] = []

    public init(stops: [String]) {
        patterns = stops.filter { !$0.isEmpty }.map(Pattern.init)
        states = Array(repeating: 0, count: patterns.count)
    }

    public enum Step: Equatable, Sendable {
        /// Safe to emit; generation goes on.
        case emit(String)
        /// A stop string was found: emit this text (possibly empty) and end generation.
        case stop(String)
    }

    public mutating func feed(_ text: String) -> Step {
        guard !patterns.isEmpty else { return .emit(text) }
        for scalar in text.unicodeScalars {
            pending.append(scalar)
            var matched = 0
            for k in patterns.indices {
                let p = patterns[k]
                var q = states[k]
                while q > 0, p.scalars[q] != scalar { q = p.failure[q - 1] }
                if p.scalars[q] == scalar { q += 1 }
                if q == p.scalars.count {
                    matched = max(matched, q)
                    q = p.failure[q - 1]
                }
                states[k] = q
            }
            if matched > 0 {
                let before = Self.string(pending.dropLast(matched))
                reset()
                return .stop(before)
            }
        }
        // Hold back the longest suffix that is a proper prefix of some stop string.
        let held = states.max() ?? 0
        let ready = Self.string(pending.dropLast(held))
        pending.removeFirst(pending.count - held)
        return .emit(ready)
    }

    /// At the end of generation whatever was held back was not a stop string after all.
    public mutating func flush() -> String {
        defer { reset() }
        return Self.string(pending[...])
    }

    private mutating func reset() {
        pending = []
        states = Array(repeating: 0, count: patterns.count)
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        String(String.UnicodeScalarView(scalars))
    }
}
